package dev.exportdesk.ui.runs;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The chunk rows of one run as its table holds them, in sequence order: appended page by page as
 * they load, and the tail merged in while the run progresses. Keeps a running count of mismatched
 * rows so the summary never scans 100,000 rows. FX thread only.
 */
final class ChunkRows {
    private final ObservableList<ChunkRow> rows = FXCollections.observableArrayList();
    private final ObservableList<ChunkRow> view = FXCollections.unmodifiableObservableList(rows);
    private long mismatches;

    /** The rows, read-only. */
    ObservableList<ChunkRow> list() {
        return view;
    }

    long mismatches() {
        return mismatches;
    }

    /** The sequence of the last row, or 0 when empty. */
    int lastSeq() {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).seq();
    }

    void clear() {
        rows.clear();
        mismatches = 0;
    }

    void append(List<ChunkRow> page) {
        rows.addAll(page);
        mismatches += count(page);
    }

    /**
     * Puts the re-read tail (chunks after {@code from}) into the list touching only what changed:
     * an unchanged row is left alone, a changed one replaced in place, new ones appended in one
     * change. Each list change makes the filtered, sorted and table views do work on the FX thread,
     * several times a second while a run progresses, so fewer and smaller changes keep it free.
     */
    void mergeTail(int from, List<ChunkRow> tail) {
        int start = rows.size();
        while (start > 0 && rows.get(start - 1).seq() > from) {
            start--;
        }
        int i = 0;
        for (; i < tail.size() && start + i < rows.size(); i++) {
            ChunkRow old = rows.get(start + i);
            ChunkRow now = tail.get(i);
            if (old.seq() != now.seq()) {
                break; // not the same chunks in the same places: replace the rest below
            }
            if (!old.equals(now)) {
                mismatches += (now.mismatch() ? 1 : 0) - (old.mismatch() ? 1 : 0);
                rows.set(start + i, now);
            }
        }
        if (start + i < rows.size()) {
            List<ChunkRow> gone = rows.subList(start + i, rows.size());
            mismatches -= count(gone);
            gone.clear();
        }
        if (i < tail.size()) {
            append(tail.subList(i, tail.size()));
        }
    }

    private static long count(List<ChunkRow> rows) {
        return rows.stream().filter(ChunkRow::mismatch).count();
    }
}
