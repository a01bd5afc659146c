package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The run detail's chunk pane says when a log-based chunk begins with a TRUNCATE, and only then. */
class ChunkDetailTextTest {
    private static ChunkRow row(boolean truncateFirst) {
        return new ChunkRow(4, "DELIVERED", "chunk-000004.jsonl.zst", "0/16B3748", "0/16B9000", 3, 120,
                "a".repeat(64), 1, null, null, null, null, null, 0, 0, 0, 0, null, null, null, null, null, truncateFirst);
    }

    @Test
    void aTruncateFirstChunkSaysThePartnerEmptiesItsCopyFirst() {
        assertThat(ChunkDetailText.of(row(true), List.of(), List.of()))
                .contains("Begins with a TRUNCATE of the table: the partner empties its copy before applying it");
        assertThat(ChunkDetailText.of(row(false), List.of(), List.of())).doesNotContain("TRUNCATE");
    }
}
