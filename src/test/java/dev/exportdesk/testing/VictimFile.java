package dev.exportdesk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** A file an attack tries to read or overwrite through a planted link: its content and mtime must not change. */
public record VictimFile(Path path, String content) {
    private static final FileTime MTIME = FileTime.fromMillis(1_000_000_000_000L);

    public static VictimFile create(Path dir, String content) throws IOException {
        Path v = dir.resolve("victim.txt");
        Files.writeString(v, content);
        Files.setLastModifiedTime(v, MTIME);
        return new VictimFile(v, content);
    }

    public void assertUntouched() throws IOException {
        assertThat(Files.readString(path)).isEqualTo(content);
        assertThat(Files.getLastModifiedTime(path)).isEqualTo(MTIME);
    }
}
