package dev.exportdesk.ui;

import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * A table item holding an immutable row value that can be swapped in place. Cells bound to it
 * (see {@link Cells#live}) follow the new value; the table's list does not change.
 */
public final class LiveRow<T> {
    private final ReadOnlyObjectWrapper<T> value;

    public LiveRow(T value) {
        this.value = new ReadOnlyObjectWrapper<>(value);
    }

    public T get() {
        return value.get();
    }

    /** Swaps the value; an equal value changes nothing, so unchanged rows are not redrawn. */
    public void set(T now) {
        if (!Objects.equals(value.get(), now)) {
            value.set(now);
        }
    }

    public ReadOnlyObjectProperty<T> property() {
        return value.getReadOnlyProperty();
    }

    @Override
    public String toString() {
        return String.valueOf(value.get());
    }
}
