package dev.exportdesk.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafeFiles#removeBelow}: what retention deletes at a folder destination, a folder the
 * partner controls. Links planted on the way or at the name are never followed, and what they point
 * at is unchanged afterwards.
 */
class SafeFilesRemoveTest {
    @TempDir
    Path dir;

    @Test
    void removesOnlyRealFilesThroughRealFoldersAndNeverFollowsALink() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside/run-000001"));
        Path victim = Files.writeString(outside.resolve("chunk-000001.jsonl.zst"), "not ours");
        Path run = Files.createDirectories(root.resolve("c/run-000001"));
        Path chunk = Files.writeString(run.resolve("chunk-000001.jsonl.zst"), "ours");

        assertThat(SafeFiles.removeBelow(root, chunk, false)).isTrue();
        assertThat(chunk).doesNotExist();
        assertThat(SafeFiles.removeBelow(root, chunk, false)).as("already gone").isFalse();

        // a folder on the way swapped for a link to somewhere else
        Files.createSymbolicLink(root.resolve("d"), dir.resolve("outside"));
        assertThat(SafeFiles.removeBelow(root, root.resolve("d/run-000001/chunk-000001.jsonl.zst"), false)).isFalse();
        // a link at the name itself, and a folder where a file is expected
        Files.createSymbolicLink(run.resolve("chunk-000002.jsonl.zst"), victim);
        assertThat(SafeFiles.removeBelow(root, run.resolve("chunk-000002.jsonl.zst"), false)).isFalse();
        Files.createDirectories(run.resolve("chunk-000003.jsonl.zst"));
        assertThat(SafeFiles.removeBelow(root, run.resolve("chunk-000003.jsonl.zst"), false)).isFalse();
        // a file where a folder is expected on the way
        Files.writeString(root.resolve("f"), "x");
        assertThat(SafeFiles.removeBelow(root, root.resolve("f/chunk"), false)).isFalse();
        // nothing outside the base
        assertThat(SafeFiles.removeBelow(root, outside.resolve("chunk-000001.jsonl.zst"), false)).isFalse();
        assertThat(Files.readString(victim)).isEqualTo("not ours");
        assertThat(Files.isSymbolicLink(run.resolve("chunk-000002.jsonl.zst"))).isTrue();

        assertThatThrownBy(() -> SafeFiles.removeBelow(root, run, true)).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(run.resolve("chunk-000002.jsonl.zst"));
        Files.delete(run.resolve("chunk-000003.jsonl.zst"));
        assertThat(SafeFiles.removeBelow(root, run, true)).isTrue();
        assertThat(run).doesNotExist();
        assertThat(SafeFiles.removeBelow(root, root.resolve("d"), true)).as("a link is no folder to remove").isFalse();
        assertThat(outside).exists();
    }
}
