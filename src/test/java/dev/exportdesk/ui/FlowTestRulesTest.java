package dev.exportdesk.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/** A rule for the console's own tests: a new TestFX flow cannot forget to measure on the FX thread. */
class FlowTestRulesTest {

    @Test
    void everyTestFxFlowMeasuresNodesOnTheFxThread() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.exportdesk");
        classes().that().areAnnotatedWith(ExtendWith.class)
                .and(com.tngtech.archunit.base.DescribedPredicate.describe("extended with TestFX's ApplicationExtension",
                        c -> java.util.Arrays.asList(c.getAnnotationOfType(ExtendWith.class).value())
                                .contains(ApplicationExtension.class)))
                .should().implement(FxThreadBounds.class)
                .because("TestFX measures nodes on the test thread otherwise, racing the FX thread's pulse")
                .check(tests);
    }
}
