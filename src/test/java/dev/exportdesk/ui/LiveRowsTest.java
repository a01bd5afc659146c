package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.junit.jupiter.api.Test;

/** The table mirror of a list of immutable rows: same contents always, list changes only when needed. */
class LiveRowsTest {
    record Row(int id, String state) {
    }

    private static List<Row> values(LiveRows<Row> live) {
        return live.rows().stream().map(LiveRow::get).toList();
    }

    @Test
    void aRowReplacedByOneWithTheSameKeyIsSwappedInPlaceWithoutAListChange() {
        ObservableList<Row> source = FXCollections.observableArrayList(new Row(1, "a"), new Row(2, "a"));
        LiveRows<Row> live = new LiveRows<>(source, Row::id);
        List<ListChangeListener.Change<?>> changes = new ArrayList<>();
        live.rows().addListener((ListChangeListener<LiveRow<Row>>) changes::add);
        LiveRow<Row> second = live.rows().get(1);
        List<Row> seen = new ArrayList<>();
        second.property().addListener((o, a, b) -> seen.add(b));

        source.set(1, new Row(2, "b"));
        source.setAll(new Row(1, "a"), new Row(2, "c")); // a refresh that re-reads the same runs
        source.set(0, new Row(1, "a")); // equal value: nothing to redraw

        assertThat(changes).isEmpty();
        assertThat(live.rows().get(1)).isSameAs(second);
        assertThat(seen).containsExactly(new Row(2, "b"), new Row(2, "c"));
        assertThat(values(live)).containsExactly(new Row(1, "a"), new Row(2, "c"));
    }

    @Test
    void structuralChangesArePassedOn() {
        ObservableList<Row> source = FXCollections.observableArrayList(new Row(1, "a"), new Row(2, "a"));
        LiveRows<Row> live = new LiveRows<>(source, Row::id);
        int[] changes = new int[1];
        live.rows().addListener((ListChangeListener<LiveRow<Row>>) c -> changes[0]++);

        List<Runnable> edits = List.of(
                () -> source.add(0, new Row(3, "new")), // a new run at the top
                () -> source.set(1, new Row(9, "other")), // another key in that place
                () -> source.remove(2));
        for (Runnable edit : edits) {
            int before = changes[0];
            edit.run();
            assertThat(changes[0]).isGreaterThan(before);
        }
        assertThat(values(live)).containsExactly(new Row(3, "new"), new Row(9, "other"));
    }

    /** Random edits through a filtered and a sorted source: the mirror always equals its source. */
    @Test
    void staysEqualToItsSourceUnderRandomEdits() {
        Random random = new Random(42);
        ObservableList<Row> base = FXCollections.observableArrayList();
        FilteredList<Row> filtered = new FilteredList<>(base, r -> true);
        ObservableList<Row> sorted = filtered.sorted(Comparator.comparing(Row::state).thenComparing(Row::id));
        LiveRows<Row> ofFiltered = new LiveRows<>(filtered, Row::id);
        LiveRows<Row> ofSorted = new LiveRows<>(sorted, Row::id);
        int nextId = 0;
        for (int step = 0; step < 2_000; step++) {
            int op = random.nextInt(6);
            String state = String.valueOf((char) ('a' + random.nextInt(4)));
            if (op == 0 || base.isEmpty()) {
                base.add(random.nextInt(base.size() + 1), new Row(nextId++, state));
            } else if (op == 1) {
                base.remove(random.nextInt(base.size()));
            } else if (op == 2) {
                int i = random.nextInt(base.size());
                base.set(i, new Row(base.get(i).id(), state));
            } else if (op == 3) {
                List<Row> tail = new ArrayList<>();
                for (int k = random.nextInt(5); k > 0; k--) {
                    tail.add(new Row(nextId++, state));
                }
                base.addAll(tail);
            } else if (op == 4) {
                String hidden = state;
                filtered.setPredicate(r -> !r.state().equals(hidden));
            } else {
                base.setAll(base.stream().map(r -> random.nextBoolean() ? r : new Row(r.id(), state)).toList());
            }
            assertThat(values(ofFiltered)).as("step %d", step).isEqualTo(List.copyOf(filtered));
            assertThat(values(ofSorted)).as("step %d", step).isEqualTo(List.copyOf(sorted));
        }
    }
}
