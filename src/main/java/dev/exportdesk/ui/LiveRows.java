package dev.exportdesk.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * A mirror of a view model's list of immutable rows for a table, in which a row replaced by one
 * with the same key is updated in place ({@link LiveRow#set}) instead of being replaced in the list.
 *
 * <p>Why: a TableView redraws every visible row for any replacement in its items, even of a row
 * that is off screen. While a run progresses the runs table and the chunk table replace rows
 * several times a second, and each replacement re-ran every visible cell on the FX thread. In
 * place, only the cells of the changed row update. Structural changes (rows added, removed or
 * reordered, or a replacement by a row with another key) are passed on as they are.
 */
public final class LiveRows<T> {
    private final ObservableList<LiveRow<T>> rows = FXCollections.observableArrayList();
    private final ObservableList<LiveRow<T>> view = FXCollections.unmodifiableObservableList(rows);
    private final Function<T, ?> key;
    /**
     * Held so that a source made only for this mirror (a sorted view) lives as long as the mirror:
     * transformation lists listen to their own source weakly.
     */
    private final ObservableList<T> source;

    public LiveRows(ObservableList<T> source, Function<T, ?> key) {
        this.key = key;
        this.source = source;
        rows.setAll(wrap(source));
        source.addListener((ListChangeListener<T>) this::apply);
    }

    /** The rows for the table, in the source's order; read-only for callers. */
    public ObservableList<LiveRow<T>> rows() {
        return view;
    }

    private void apply(ListChangeListener.Change<? extends T> c) {
        // sub-changes are applied in order: the mirror's indices equal the source's at each step
        while (c.next()) {
            int from = c.getFrom();
            if (c.wasPermutated()) {
                List<LiveRow<T>> moved = new ArrayList<>(rows.subList(from, c.getTo()));
                for (int i = from; i < c.getTo(); i++) {
                    moved.set(c.getPermutation(i) - from, rows.get(i));
                }
                rows.subList(from, c.getTo()).clear();
                rows.addAll(from, moved);
            } else if (c.wasUpdated()) {
                for (int i = from; i < c.getTo(); i++) {
                    rows.get(i).set(c.getList().get(i));
                }
            } else {
                List<? extends T> added = c.getAddedSubList();
                int removed = c.getRemovedSize();
                int same = 0;
                while (same < removed && same < added.size()
                        && Objects.equals(key.apply(rows.get(from + same).get()), key.apply(added.get(same)))) {
                    rows.get(from + same).set(added.get(same));
                    same++;
                }
                if (removed > same) {
                    rows.remove(from + same, from + removed);
                }
                if (added.size() > same) {
                    rows.addAll(from + same, wrap(added.subList(same, added.size())));
                }
            }
        }
    }

    private List<LiveRow<T>> wrap(List<? extends T> values) {
        List<LiveRow<T>> out = new ArrayList<>(values.size());
        for (T v : values) {
            out.add(new LiveRow<>(v));
        }
        return out;
    }
}
