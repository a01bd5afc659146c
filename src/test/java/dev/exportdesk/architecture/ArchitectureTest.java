package dev.exportdesk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The layering rules of STYLE.md, executable (JabRef's CommonArchitectureTest): the engine never
 * sees JavaFX or the UI, only the CLI prints, logging goes through SLF4J, and data flows one way.
 */
@AnalyzeClasses(packages = "dev.exportdesk", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENGINE = {"dev.exportdesk.contract..", "dev.exportdesk.source..",
        "dev.exportdesk.chunk..", "dev.exportdesk.transfer..", "dev.exportdesk.verify..", "dev.exportdesk.store..",
        "dev.exportdesk.engine..", "dev.exportdesk.report..", "dev.exportdesk.demo..", "dev.exportdesk.secret.."};

    @ArchTest
    static final ArchRule engineNeverUsesJavaFxOrTheUi = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "dev.exportdesk.ui..");

    @ArchTest
    static final ArchRule onlyTheCliWritesToStandardStreams = noClasses().that()
            .resideOutsideOfPackage("dev.exportdesk.cli..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS);

    @ArchTest
    static final ArchRule noJavaUtilLogging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule noPrintedStackTraces = noClasses().should().callMethod(Throwable.class, "printStackTrace");

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("app").definedBy("dev.exportdesk.app..")
            .layer("cli").definedBy("dev.exportdesk.cli..")
            .layer("ui").definedBy("dev.exportdesk.ui..")
            .layer("demo").definedBy("dev.exportdesk.demo..")
            .layer("engine").definedBy("dev.exportdesk.engine..")
            .layer("report").definedBy("dev.exportdesk.report..")
            .layer("verify").definedBy("dev.exportdesk.verify..")
            .layer("transfer").definedBy("dev.exportdesk.transfer..")
            .layer("chunk").definedBy("dev.exportdesk.chunk..")
            .layer("source").definedBy("dev.exportdesk.source..")
            .layer("secret").definedBy("dev.exportdesk.secret..")
            .layer("contract").definedBy("dev.exportdesk.contract..")
            .layer("store").definedBy("dev.exportdesk.store..")
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayOnlyBeAccessedByLayers("app")
            .whereLayer("ui").mayOnlyBeAccessedByLayers("app")
            .whereLayer("demo").mayOnlyBeAccessedByLayers("cli", "ui")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("cli", "ui", "app")
            .whereLayer("report").mayOnlyBeAccessedByLayers("engine", "cli", "ui")
            .whereLayer("verify").mayOnlyBeAccessedByLayers("report", "engine", "cli", "ui")
            .whereLayer("transfer").mayOnlyBeAccessedByLayers("verify", "report", "engine", "cli", "ui")
            .whereLayer("chunk").mayOnlyBeAccessedByLayers("transfer", "verify", "report", "engine", "cli", "ui")
            .whereLayer("source").mayOnlyBeAccessedByLayers("chunk", "transfer", "verify", "report", "engine", "cli",
                    "ui")
            .whereLayer("secret").mayOnlyBeAccessedByLayers("source", "transfer", "verify", "report", "engine", "cli",
                    "ui")
            .whereLayer("contract").mayOnlyBeAccessedByLayers("secret", "source", "chunk", "transfer", "verify",
                    "report", "engine", "cli", "ui")
            .whereLayer("store").mayOnlyBeAccessedByLayers("secret", "engine", "report", "cli", "ui", "app")
            .allowEmptyShould(true);
}
