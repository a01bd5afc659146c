package dev.exportdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up class-data archive made as the package makes it at installation
 * ({@code packaging/exportdesk-cds.sh} on the packaged jar): the JVM maps it ({@code -Xshare:on}
 * refuses to start otherwise); ExportDesk's classes, picocli's Java 5 ones (which only a static
 * archive holds) and those the PostgreSQL and console supplements add to the demo's list come from it; and an
 * export's hottest methods are still compiled under it. Java 17 stored a method's "queued for
 * compilation" mark in the dynamic archive it used to make (JDK-8306460), and a method stored with
 * it was never compiled again (one archive in eight froze these two); the static dump runs no JIT,
 * and this guards the outcome.
 */
@Timeout(420)
class ClassDataArchiveIT {
    @TempDir
    Path dir;

    @Test
    void theInstalledArchiveIsMappedAndLeavesTheExportsHotMethodsToTheCompiler() throws Exception {
        Path jar = Path.of(System.getProperty("exportdesk.app.jar", "target/exportdesk.jar")).toAbsolutePath();
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        Path archive = dir.resolve("exportdesk.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process training = new ProcessBuilder("sh", "packaging/exportdesk-cds.sh", java, jar.toString(),
                archive.toString()).redirectErrorStream(true).start();
        boolean done = training.waitFor(240, TimeUnit.SECONDS);
        String said = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            training.destroyForcibly().waitFor();
        }
        assertThat(done).as("training finished within 240 s").isTrue();
        assertThat(training.exitValue()).as("exportdesk-cds.sh: " + said).isZero();
        assertThat(Files.size(archive)).as("archive size").isGreaterThan(1 << 20);

        Path log = dir.resolve("demo.out");
        List<String> jvm = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load=info",
                "-XX:+PrintCompilation");
        int code = ChildJvm.runJar(jar, jvm, log, 180, "--workspace", dir.resolve("ws").toString(), "demo",
                "--orders", "20000", "--customers", "200");
        String out = Files.readString(log);
        assertThat(code).as("demo under the archive").isZero();
        assertThat(out).as("ExportDesk's classes are mapped from the archive")
                .contains("dev.exportdesk.cli.Cli source: shared objects file");
        assertThat(out).as("the JSON encoder's string writer and H2's value reader are compiled")
                .contains("dev.exportdesk.chunk.JsonText::appendString", "org.h2.mvstore.db.ValueDataType::readValue ");
        assertThat(out).as("picocli's Java 5 class files are mapped too")
                .contains("picocli.CommandLine source: shared objects file");

        // a CLI run loads a class only packaging/exportdesk-postgres.classlist names (the demo does not)
        Path runLog = dir.resolve("run.out");
        code = ChildJvm.runJar(jar, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load=info"),
                runLog, 180, "--workspace", dir.resolve("ws").toString(), "run", "orders-to-acme");
        assertThat(code).as("a run under the archive").isZero();
        assertThat(Files.readString(runLog)).as("a class of the supplement is mapped from the archive")
                .contains("dev.exportdesk.cli.ProgressPrinter source: shared objects file");

        // JFR watches class loading; Java 17 crashed re-reading an archived class that a multi-release
        // jar holds only in a versioned entry (the driver's, as in every PostgreSQL export; JDK-8343427)
        Path probeLog = dir.resolve("probe.out");
        Process probe = new ProcessBuilder(java, "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                "-XX:StartFlightRecording=filename=" + dir.resolve("probe.jfr"), "-Xlog:class+load=info",
                "-cp", jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath(),
                LoadClasses.class.getName(), "org.postgresql.util.LazyCleanerImpl",
                "org.postgresql.util.LazyCleanerImpl$CleanableWrapper", "org.postgresql.core.v3.QueryExecutorImpl",
                "javafx.scene.control.TableView", "dev.exportdesk.ui.ConsoleApp")
                .redirectErrorStream(true).redirectOutput(probeLog.toFile()).start();
        assertThat(probe.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String probed = Files.readString(probeLog);
        assertThat(probe.exitValue()).as("loading the driver's classes under JFR: …"
                + probed.substring(Math.max(0, probed.length() - 3000))).isZero();
        assertThat(probed).as("the supplements' classes are mapped")
                .contains("org.postgresql.core.v3.QueryExecutorImpl source: shared objects file",
                        "javafx.scene.control.TableView source: shared objects file",
                        "dev.exportdesk.ui.ConsoleApp source: shared objects file")
                .as("the versioned one is read from its jar")
                .doesNotContain("org.postgresql.util.LazyCleanerImpl$CleanableWrapper source: shared objects file");
    }

    /** Loads, without initialising, the classes named on its command line (the archive's class path plus the test classes). */
    public static final class LoadClasses {
        public static void main(String[] names) throws ClassNotFoundException {
            for (String name : names) {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
            }
        }
    }
}
