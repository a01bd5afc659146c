package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** Merging a progressing run's re-read tail into the chunk rows: only what changed, and the mismatch count. */
class ChunkRowsTest {
    private static ChunkRow row(int seq, String state, String check) {
        return new ChunkRow(seq, state, "chunk-" + seq, "[" + seq + "]", "[" + seq + "]", 10, 100, "a".repeat(64), 1,
                null, check, null, null, null, 0, 0, 0, 0, null, null, null, null, null, false);
    }

    private static List<ChunkRow> rows(int from, int to, String state) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> row(i, state, null)).toList();
    }

    @Test
    void anUnchangedTailChangesNothingAChangedRowIsReplacedAndNewRowsAppendInOneChange() {
        ChunkRows chunks = new ChunkRows();
        chunks.append(rows(1, 10, "DELIVERED"));
        List<String> changes = new ArrayList<>();
        chunks.list().addListener((ListChangeListener<ChunkRow>) c -> {
            while (c.next()) {
                changes.add(c.wasReplaced() ? "replaced " + c.getFrom() : c.wasAdded() ? "added " + c.getAddedSize()
                        : "removed " + c.getRemovedSize());
            }
        });

        chunks.mergeTail(7, rows(8, 10, "DELIVERED"));
        assertThat(changes).isEmpty();

        List<ChunkRow> tail = new ArrayList<>(rows(8, 13, "DELIVERED"));
        tail.set(1, row(9, "DELIVERED", "mismatch"));
        chunks.mergeTail(7, tail);

        assertThat(changes).containsExactly("replaced 8", "added 3");
        assertThat(chunks.list()).extracting(ChunkRow::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 13).boxed().toList());
        assertThat(chunks.mismatches()).isEqualTo(1);
        assertThat(chunks.lastSeq()).isEqualTo(13);
    }

    @Test
    void aShorterTailDropsTheRowsItNoLongerHasAndTheirMismatches() {
        ChunkRows chunks = new ChunkRows();
        chunks.append(List.of(row(1, "DELIVERED", null), row(2, "FAILED", "mismatch"), row(3, "FAILED", "mismatch")));
        assertThat(chunks.mismatches()).isEqualTo(2);

        chunks.mergeTail(1, List.of(row(2, "DELIVERED", "match")));

        assertThat(chunks.list()).extracting(ChunkRow::seq).containsExactly(1, 2);
        assertThat(chunks.mismatches()).isZero();
        chunks.clear();
        assertThat(chunks.list()).isEmpty();
        assertThat(chunks.lastSeq()).isZero();
    }
}
