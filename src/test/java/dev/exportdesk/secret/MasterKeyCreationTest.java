package dev.exportdesk.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 7: creating the workspace key can fail half-way (disk full, quota, file-size limit).
 * A real child JVM runs under {@code ulimit -f 0}, so the kernel refuses the key's bytes (EFBIG)
 * after the file was created: the key must not exist afterwards, neither empty nor as a temporary,
 * and the next start without the limit creates a proper one.
 */
@Timeout(60)
class MasterKeyCreationTest {
    @TempDir
    Path dir;

    /** The child: loads (creates) the key of the workspace at args[0]. */
    public static final class CreateKey {
        public static void main(String[] args) {
            try {
                MasterKey.load(Path.of(args[0]), Map.of());
                System.out.println("created");
            } catch (SecretException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    @Test
    void aFailedKeyWriteLeavesNoKeyBehind() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "ulimit -f 0 && exec \"$0\" -XX:-UsePerfData -Xshare:off -cp \"$1\" "
                + "\"$2\" \"$3\"", java, System.getProperty("java.class.path"), CreateKey.class.getName(), ws.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(45, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).as(output).contains("refused: cannot read or create the workspace key");
        assertThat(files(ws.resolve("secrets"))).as("nothing left in secrets/").isEmpty();

        MasterKey key = MasterKey.load(ws, Map.of());
        assertThat(key.key().getEncoded()).hasSize(32);
        assertThat(files(ws.resolve("secrets"))).containsExactly(ws.resolve("secrets/master.key"));
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
