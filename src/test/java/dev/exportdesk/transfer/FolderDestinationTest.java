package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDestinationTest {
    @TempDir
    Path dir;

    private Path local(String name, String content) throws Exception {
        Path p = dir.resolve("staging").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void deliversUnderTheFinalNameOnlyWhenCompleteAndRepeatsAreHarmless() throws Exception {
        FolderDestination d = new FolderDestination(dir.resolve("drop"));
        Path file = local("chunk-000001.jsonl", "{\"id\":1}\n");
        String sha = Hashing.digest(file).sha256();
        // a crashed earlier attempt left a partial temporary file behind
        Path temp = dir.resolve("drop/c/run-000001/.chunk-000001.jsonl" + FolderDestination.TEMP_SUFFIX);
        Files.createDirectories(temp.getParent());
        Files.writeString(temp, "{\"id\":");
        assertThat(d.list("c/run-000001")).isEmpty();

        d.put("c/run-000001/chunk-000001.jsonl", file, sha);
        d.put("c/run-000001/chunk-000001.jsonl", file, sha); // idempotent
        assertThat(d.list("c/run-000001")).extracting(RemoteFile::path).containsExactly("c/run-000001/chunk-000001.jsonl");
        assertThat(Files.readString(dir.resolve("drop/c/run-000001/chunk-000001.jsonl"))).isEqualTo("{\"id\":1}\n");
        // the retry wrote under a fresh unguessable name; the abandoned one goes with the sweep before an attempt
        assertThat(d.removeAbandonedTemporaries("c/run-000001")).isEqualTo(1);
        assertThat(temp).doesNotExist();
        assertThat(d.stat("c/run-000001/chunk-000001.jsonl")).hasValueSatisfying(f -> assertThat(f.size()).isEqualTo(9));
    }

    @Test
    void refusesToOverwriteADeliveredFileWithOtherBytes() throws Exception {
        FolderDestination d = new FolderDestination(dir.resolve("drop"));
        Path a = local("a", "first");
        Path b = local("b", "second");
        d.put("c/f", a, Hashing.digest(a).sha256());
        assertThatThrownBy(() -> d.put("c/f", b, Hashing.digest(b).sha256()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("refusing to overwrite");
        assertThat(Files.readString(dir.resolve("drop/c/f"))).isEqualTo("first");
    }

    @Test
    void aStagedFileThatDoesNotMatchItsSealedHashIsNotDelivered() throws Exception {
        FolderDestination d = new FolderDestination(dir.resolve("drop"));
        Path a = local("a", "content");
        assertThatThrownBy(() -> d.put("c/f", a, "0".repeat(64))).isInstanceOf(DeliveryException.class)
                .hasMessageContaining("staging area is damaged");
        assertThat(dir.resolve("drop/c/f")).doesNotExist();
    }

    @Test
    void pathsCannotLeaveTheRoot() throws Exception {
        FolderDestination d = new FolderDestination(dir.resolve("drop"));
        Path a = local("a", "x");
        for (String bad : new String[] {"../escape", "c/../../escape", "/etc/passwd", "c//f", ".hidden/f"}) {
            assertThatThrownBy(() -> d.put(bad, a, Hashing.digest(a).sha256())).as(bad)
                    .isInstanceOf(DeliveryException.class);
        }
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void abandonedTemporariesAreSwept() throws Exception {
        FolderDestination d = new FolderDestination(dir.resolve("drop"));
        Path run = Files.createDirectories(dir.resolve("drop/c/run-000001"));
        Files.writeString(run.resolve(".chunk-000002.jsonl" + FolderDestination.TEMP_SUFFIX), "partial");
        Files.writeString(run.resolve("keep.txt"), "partner's own file");
        assertThat(d.removeAbandonedTemporaries("c/run-000001")).isEqualTo(1);
        assertThat(run.resolve("keep.txt")).exists();
    }
}
