package dev.exportdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.ChildJvm;
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
 * refuses to start otherwise), ExportDesk's classes come from it, and an export's hottest methods
 * are still compiled under it. Java 17 archives a method's "queued for compilation" mark
 * (JDK-8306460), and a method archived with it is never compiled again; the script trains without
 * a JIT so that none can be. Which methods are queued when a JIT-trained demo exits is timing (one
 * archive in eight froze these two), so this guards the outcome, not every way to lose it.
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
    }
}
