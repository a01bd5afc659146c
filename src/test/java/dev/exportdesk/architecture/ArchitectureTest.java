package dev.exportdesk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
        "dev.exportdesk.engine..", "dev.exportdesk.report..", "dev.exportdesk.demo..", "dev.exportdesk.ledger..",
        "dev.exportdesk.partner..", "dev.exportdesk.secret..", "dev.exportdesk.fs..", "dev.exportdesk.alert..",
        "dev.exportdesk.metrics..", "dev.exportdesk.pgp..", "dev.exportdesk.cdc.."};

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

    /** MVVM: view models hold properties and commands only; scene-graph types stay in the views. */
    @ArchTest
    static final ArchRule viewModelsNeverTouchTheSceneGraph = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.fxml..",
                    "org.controlsfx..");

    /** Roles are enforced below the UI: the console reaches the engine's services only through GuardedEngine. */
    @ArchTest
    static final ArchRule consoleUsesTheEngineThroughTheGuard = noClasses().that()
            .resideInAPackage("dev.exportdesk.ui..")
            .should().accessClassesThat().haveNameMatching(
                    "dev\\.exportdesk\\.engine\\.(\\w+\\.)?(ExportEngine|ContractService|StatusService|VerifyService|ReportService|ReconcileService|LedgerService)");

    @ArchTest
    static final ArchRule accessNeverUsesJavaFxOrTheUi = noClasses().that().resideInAPackage("dev.exportdesk.access..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "dev.exportdesk.ui..",
                    "dev.exportdesk.cli..");

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("app").definedBy("dev.exportdesk.app..")
            .layer("cli").definedBy("dev.exportdesk.cli..")
            .layer("ui").definedBy("dev.exportdesk.ui..")
            .layer("demo").definedBy("dev.exportdesk.demo..")
            .layer("access").definedBy("dev.exportdesk.access..")
            .layer("alert").definedBy("dev.exportdesk.alert..")
            .layer("metrics").definedBy("dev.exportdesk.metrics..")
            .layer("engine").definedBy("dev.exportdesk.engine..")
            .layer("report").definedBy("dev.exportdesk.report..")
            .layer("verify").definedBy("dev.exportdesk.verify..")
            .layer("transfer").definedBy("dev.exportdesk.transfer..")
            .layer("chunk").definedBy("dev.exportdesk.chunk..")
            .layer("cdc").definedBy("dev.exportdesk.cdc..")
            .layer("source").definedBy("dev.exportdesk.source..")
            .layer("secret").definedBy("dev.exportdesk.secret..")
            .layer("contract").definedBy("dev.exportdesk.contract..")
            .layer("store").definedBy("dev.exportdesk.store..")
            .layer("ledger").definedBy("dev.exportdesk.ledger..")
            .layer("partner").definedBy("dev.exportdesk.partner..")
            .layer("fs").definedBy("dev.exportdesk.fs..")
            .layer("pgp").definedBy("dev.exportdesk.pgp..")
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayOnlyBeAccessedByLayers("app")
            .whereLayer("ui").mayOnlyBeAccessedByLayers("app")
            .whereLayer("demo").mayOnlyBeAccessedByLayers("cli", "ui")
            .whereLayer("access").mayOnlyBeAccessedByLayers("cli", "ui", "app")
            .whereLayer("alert").mayOnlyBeAccessedByLayers("access", "cli", "ui", "app")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("cli", "app")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("alert", "metrics", "access", "cli", "ui", "app")
            .whereLayer("report").mayOnlyBeAccessedByLayers("access", "engine", "cli", "ui")
            .whereLayer("verify").mayOnlyBeAccessedByLayers("access", "report", "engine", "cli", "ui")
            .whereLayer("transfer").mayOnlyBeAccessedByLayers("access", "verify", "report", "engine", "cli", "ui")
            .whereLayer("chunk").mayOnlyBeAccessedByLayers("access", "transfer", "verify", "report", "engine", "cli", "ui")
            // log-based capture (issue 15) plugs into the run protocol: the engine and the front ends use it
            .whereLayer("cdc").mayOnlyBeAccessedByLayers("access", "engine", "cli", "ui")
            .whereLayer("source").mayOnlyBeAccessedByLayers("access", "cdc", "chunk", "transfer", "verify", "report", "engine", "cli",
                    "ui")
            .whereLayer("secret").mayOnlyBeAccessedByLayers("alert", "access", "source", "transfer", "verify", "report", "engine",
                    "cli", "ui")
            .whereLayer("contract").mayOnlyBeAccessedByLayers("alert", "metrics", "access", "secret", "source", "cdc", "chunk", "transfer",
                    "verify", "report", "engine", "cli", "ui")
            .whereLayer("store").mayOnlyBeAccessedByLayers("alert", "metrics", "access", "secret", "engine", "report", "cli", "ui", "app")
            .whereLayer("ledger").mayOnlyBeAccessedByLayers("partner", "verify", "report", "engine", "cli", "ui")
            .whereLayer("partner").mayOnlyBeAccessedByLayers("engine", "cli", "ui")
            // contracts check partner keys as they are read; the partner's verifier decrypts and checks signatures
            .whereLayer("pgp").mayOnlyBeAccessedByLayers("contract", "chunk", "partner", "verify", "engine", "cli")
            .whereLayer("fs").mayOnlyBeAccessedByLayers("access", "engine", "report", "verify", "transfer", "chunk",
                    "source", "secret", "contract", "store", "ledger", "partner", "cli", "ui", "app")
            .allowEmptyShould(true);

    /** OpenPGP is a leaf: Bouncy Castle, the JDK and text cleaning, nothing of the engine, store or screens. */
    @ArchTest
    static final ArchRule pgpIsALeaf = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.exportdesk.pgp..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.bouncycastle..",
                    "dev.exportdesk.pgp..", "dev.exportdesk.text..");

    /** fs is the bottom of every stack, the partner's standalone verifier included: it depends on the JDK only. */
    @ArchTest
    static final ArchRule fsDependsOnTheJdkOnly = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.exportdesk.fs..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.exportdesk.fs..");

    /**
     * The partner's verifier ships as a standalone jar: the JDK, Jackson, zstd-jni, the ledger, fs, text
     * cleaning, and OpenPGP (the pgp leaf over Bouncy Castle) to decrypt and check signatures only.
     */
    @ArchTest
    static final ArchRule partnerVerifierIsStandalone = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAnyPackage("dev.exportdesk.partner..", "dev.exportdesk.ledger..", "dev.exportdesk.cli.verifier..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "com.fasterxml.jackson..",
                    "com.github.luben.zstd..", "dev.exportdesk.partner..", "dev.exportdesk.ledger..",
                    "dev.exportdesk.fs..", "dev.exportdesk.cli.verifier..", "dev.exportdesk.text..",
                    "dev.exportdesk.pgp..", "org.bouncycastle..");

    /** Untrusted-text cleaning is used by every layer and ships in the verifier jar: it depends on the JDK only. */
    @ArchTest
    static final ArchRule textDependsOnTheJdkOnly = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.exportdesk.text..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.exportdesk.text..");

    /** Log-based capture reads sources through pgjdbc: never the engine, the store, chunks or the front ends. */
    @ArchTest
    static final ArchRule cdcUsesOnlySourcesAndContracts = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.exportdesk.cdc..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.postgresql..", "dev.exportdesk.cdc..",
                    "dev.exportdesk.source..", "dev.exportdesk.contract..");

    /**
     * The engine's jobs live in sub-packages (runs, delivery, receipts, verification, ledger, status,
     * team) around the facade in {@code engine} itself: no cycles between them.
     */
    @ArchTest
    static final ArchRule engineJobsAreFreeOfCycles = slices().matching("dev.exportdesk.engine.(*)..")
            .should().beFreeOfCycles();

    /**
     * And one direction: delivery and the ledger know no run, a run knows no verification, receipt,
     * status, retention or worker, retention knows only delivery and the ledger, and only the workers
     * (team) sit on top. The facade and the front ends may use all.
     */
    @ArchTest
    static final ArchRule engineJobLayers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("team").definedBy("dev.exportdesk.engine.team..")
            .layer("verification").definedBy("dev.exportdesk.engine.verification..")
            .layer("receipts").definedBy("dev.exportdesk.engine.receipts..")
            .layer("status").definedBy("dev.exportdesk.engine.status..")
            .layer("runs").definedBy("dev.exportdesk.engine.runs..")
            .layer("retention").definedBy("dev.exportdesk.engine.retention..")
            .layer("delivery").definedBy("dev.exportdesk.engine.delivery..")
            .layer("ledger").definedBy("dev.exportdesk.engine.ledger..")
            .whereLayer("team").mayNotBeAccessedByAnyLayer()
            .whereLayer("verification").mayOnlyBeAccessedByLayers("team")
            .whereLayer("receipts").mayOnlyBeAccessedByLayers("team")
            .whereLayer("status").mayNotBeAccessedByAnyLayer()
            .whereLayer("runs").mayOnlyBeAccessedByLayers("team", "verification", "receipts")
            .whereLayer("retention").mayOnlyBeAccessedByLayers("team")
            .whereLayer("delivery").mayOnlyBeAccessedByLayers("runs", "verification", "receipts", "status", "retention")
            .whereLayer("ledger").mayOnlyBeAccessedByLayers("runs", "retention");
}
