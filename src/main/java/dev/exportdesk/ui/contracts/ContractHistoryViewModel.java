package dev.exportdesk.ui.contracts;

import dev.exportdesk.store.ContractVersion;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Two versions of one contract side by side; the newest against the one before by default. */
public final class ContractHistoryViewModel {
    private final String contract;
    private final ObservableList<ContractVersion> versions;
    private final ObjectProperty<ContractVersion> left = new SimpleObjectProperty<>();
    private final ObjectProperty<ContractVersion> right = new SimpleObjectProperty<>();
    private final ObservableList<LineDiff.Row> rows = FXCollections.observableArrayList();

    public ContractHistoryViewModel(String contract, List<ContractVersion> versions) {
        this.contract = contract;
        this.versions = FXCollections.observableArrayList(versions);
        left.addListener((o, a, b) -> recompute());
        right.addListener((o, a, b) -> recompute());
        int n = versions.size();
        right.set(versions.get(n - 1));
        left.set(versions.get(Math.max(0, n - 2)));
    }

    private void recompute() {
        if (left.get() != null && right.get() != null) {
            rows.setAll(LineDiff.diff(left.get().body(), right.get().body()));
        }
    }

    public String contract() {
        return contract;
    }

    public ObservableList<ContractVersion> versions() {
        return versions;
    }

    public ObjectProperty<ContractVersion> leftProperty() {
        return left;
    }

    public ObjectProperty<ContractVersion> rightProperty() {
        return right;
    }

    public ObservableList<LineDiff.Row> rows() {
        return rows;
    }

    public long changedLines() {
        return rows.stream().filter(r -> r.kind() != LineDiff.Kind.SAME).count();
    }
}
