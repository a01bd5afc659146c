package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.exportdesk.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The logging set up in code ({@link LogConfiguration}) as logback finds and runs it. */
class LogConfigurationTest {
    private static final String ESC = "\u001b";

    @Test
    void logbackFindsItAsItsConfigurator() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(p -> p.type().getName()).toList()).containsExactly(LogConfiguration.class.getName());
        assertThat(((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).iteratorForAppenders())
                .toIterable().extracting(a -> a.getName()).containsExactly("FILE", "STDERR", "RUNS");
    }

    @Test
    void writesTheWorkspaceLogWithUntrustedTextDisarmed(@TempDir Path logs) throws Exception {
        LoggerFactory.getILoggerFactory(); // the JVM's own context first, with the properties it had
        String before = System.getProperty(LogConfiguration.LOG_DIR);
        System.setProperty(LogConfiguration.LOG_DIR, logs.toString());
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // SLF4J gives the JVM's own context one
        try {
            LogConfiguration configuration = new LogConfiguration();
            configuration.setContext(context);
            assertThat(configuration.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            context.getLogger("org.flywaydb.core.Flyway").info("hidden below WARN");
            context.getLogger("dev.exportdesk.engine.runs.CursorCapture")
                    .error("receipt said " + ESC + "[2Jcleared", new IllegalStateException("cause " + ESC + "]0;title"));
        } finally {
            context.stop();
            if (before == null) {
                System.clearProperty(LogConfiguration.LOG_DIR);
            } else {
                System.setProperty(LogConfiguration.LOG_DIR, before);
            }
        }
        List<String> lines = Files.readAllLines(logs.resolve("exportdesk.log"));
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ERROR \\[main] "
                + "d\\.e\\.e\\.runs\\.CursorCapture - receipt said \uFFFD\\[2Jcleared");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: cause \uFFFD]0;title");
        assertThat(lines).hasSizeGreaterThan(3).noneMatch(l -> l.contains(ESC)).noneMatch(l -> l.contains("hidden"));
    }

    /** The desktop console's start, in a fresh JVM: the command line with no command, a console that opens the workspace and logs. */
    public static final class ConsoleProbe {
        public static void main(String[] args) {
            int code = Cli.execute(new String[] {"--workspace", args[0]}, root -> {
                try (Workspace ws = Workspace.open(root)) {
                    LoggerFactory.getLogger("dev.exportdesk.ui.ConsoleApp").error("console opened {}", ws.root());
                }
            });
            System.exit(code);
        }
    }

    @Test
    void theConsoleLogsInItsWorkspaceNotInTheTemporaryFolder(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path ws = dir.resolve("ws");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), ConsoleProbe.class.getName(),
                ws.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readString(ws.resolve("logs").resolve("exportdesk.log"))).contains("console opened");
        assertThat(tmp.resolve("exportdesk.log")).doesNotExist();
    }

    @Test
    void anOperatorsOwnFileIsReadInstead() {
        String before = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, "/etc/exportdesk/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            LogConfiguration configuration = new LogConfiguration();
            configuration.setContext(context);
            assertThat(configuration.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders()).isExhausted();
        } finally {
            if (before == null) {
                System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, before);
            }
        }
    }
}
