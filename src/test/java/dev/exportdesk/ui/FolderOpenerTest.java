package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the desktop opened a folder is told, never guessed: a missing opener, an opener that
 * fails (exit status) and a folder that is not there each come back in words; an opener that
 * succeeds comes back empty. The openers are real programs (true, false) or a path with no program.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class FolderOpenerTest {
    @TempDir
    Path dir;

    @Test
    void eachWayOfNotOpeningIsSaidInWords() {
        assertThat(new FolderOpener(List.of(dir.resolve("xdg-open").toString()), true).open(dir)).get().asString()
                .isEqualTo("This desktop has no xdg-open (or it could not be started), so ExportDesk cannot open "
                        + "folders here.");
        assertThat(new FolderOpener(List.of("false"), true).open(dir)).get().asString()
                .startsWith("false could not open it (exit status 1)");
        assertThat(new FolderOpener(List.of("true"), true).open(dir.resolve("run-000007"))).get().asString()
                .startsWith("The folder is not there");
        assertThat(new FolderOpener(List.of("true"), true).open(dir)).isEmpty();
        assertThat(new FolderOpener(List.of("false"), false).open(dir)).as("status not trusted (explorer)").isEmpty();
    }
}
