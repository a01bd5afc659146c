package dev.exportdesk.ui.contracts;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.TaskRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** Partners and contracts with search; opens the editor and the history; imports and exports JSON. */
public final class ContractsViewModel {
    /** A partner and how many contracts it receives; partner null: every partner (the filter is off). */
    public record PartnerRow(String partner, long contracts) {
        public boolean all() {
            return partner == null;
        }

        @Override
        public String toString() {
            return (all() ? "All partners" : partner) + " (" + contracts + ")";
        }
    }

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final ObservableList<ContractRecord> all = FXCollections.observableArrayList();
    private final FilteredList<ContractRecord> visible = new FilteredList<>(all, c -> true);
    private final ObservableList<PartnerRow> partners = FXCollections.observableArrayList();
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<PartnerRow> partner = new SimpleObjectProperty<>();
    private final ObjectProperty<ContractRecord> selected = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<ContractEditorViewModel> editor = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<ContractHistoryViewModel> history = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canEdit = new ReadOnlyBooleanWrapper();

    public ContractsViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        canEdit.set(engine.can(Permission.EDIT_CONTRACTS));
        search.addListener((o, a, b) -> filter());
        partner.addListener((o, a, b) -> filter());
    }

    public void refresh() {
        tasks.run(engine::contracts, this::show, e -> dialogs.showError("Could not list contracts", e));
    }

    private void show(List<ContractRecord> records) {
        // the read just checked the role again: an admin may have changed it since the last refresh
        canEdit.set(engine.can(Permission.EDIT_CONTRACTS));
        String keep = selected.get() == null ? null : selected.get().name();
        all.setAll(records);
        TreeMap<String, Long> counts = new TreeMap<>();
        records.forEach(r -> counts.merge(r.partner(), 1L, Long::sum));
        PartnerRow p = partner.get();
        // "All partners" first: once a partner was chosen, the drop-down is the only way back
        PartnerRow every = new PartnerRow(null, records.size());
        partners.setAll(every);
        counts.forEach((name, n) -> partners.add(new PartnerRow(name, n)));
        partner.set(p == null || p.all() ? every : partners.stream().filter(x -> p.partner().equals(x.partner()))
                .findFirst().orElse(every));
        filter();
        message.set(records.size() + " contract(s) for " + counts.size() + " partner(s)"
                + (partner.get().all() ? "" : " · showing " + partner.get().partner() + "'s only"));
        if (keep != null) {
            all.stream().filter(r -> r.name().equals(keep)).findFirst().ifPresent(selected::set);
        }
    }

    private void filter() {
        String q = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        PartnerRow p = partner.get();
        visible.setPredicate(r -> (p == null || p.all() || r.partner().equals(p.partner()))
                && (q.isEmpty() || r.name().toLowerCase(Locale.ROOT).contains(q)
                || r.partner().toLowerCase(Locale.ROOT).contains(q)
                || r.sourceName().toLowerCase(Locale.ROOT).contains(q)));
    }

    /** Opens the editor on a new contract. */
    public void newContract() {
        editor.set(editorFor(null));
    }

    /** Opens the editor on the selected contract's current version (read-only for non-stewards). */
    public void editSelected() {
        ContractRecord r = selected.get();
        if (r == null) {
            return;
        }
        tasks.run(() -> engine.openContract(r.name()).body(),
                body -> editor.set(editorFor(body)),
                e -> dialogs.showError("Could not open " + r.name(), e));
    }

    private ContractEditorViewModel editorFor(String json) {
        ContractEditorViewModel vm = new ContractEditorViewModel(engine, tasks, json);
        vm.setOnSaved(this::refresh);
        return vm;
    }

    public void showHistory() {
        ContractRecord r = selected.get();
        if (r == null) {
            return;
        }
        tasks.run(() -> engine.history(r.name()), v -> history.set(new ContractHistoryViewModel(r.name(), v)),
                e -> dialogs.showError("Could not read the history of " + r.name(), e));
    }

    public void closeEditor() {
        editor.set(null);
        refresh();
    }

    public void importJson() {
        Optional<Path> file = dialogs.chooseFileToOpen("Import a contract", "Contract JSON", "*.json");
        file.ifPresent(this::importFile);
    }

    public void importFile(Path file) {
        tasks.run(() -> engine.importContract(Files.readString(file, StandardCharsets.UTF_8), file.getFileName()
                .toString()), r -> {
                    message.set("Imported " + r.version().contractName() + " v" + r.version().version()
                            + (r.changed() ? "" : " (unchanged)"));
                    refresh();
                }, e -> dialogs.showError("Could not import " + file.getFileName(), e));
    }

    public void exportSelected() {
        ContractRecord r = selected.get();
        if (r == null) {
            return;
        }
        dialogs.chooseFileToSave("Export " + r.name(), r.name() + ".json").ifPresent(f -> exportTo(r.name(), f));
    }

    public void exportTo(String name, Path file) {
        tasks.run(() -> {
            ContractVersion v = engine.exportContract(name, Optional.empty());
            Files.writeString(file, v.body(), StandardCharsets.UTF_8);
            return v;
        }, v -> message.set("Exported " + name + " v" + v.version() + " to " + file),
                e -> dialogs.showError("Could not export " + name, e));
    }

    public ObservableList<ContractRecord> contracts() {
        return visible;
    }

    public ObservableList<PartnerRow> partners() {
        return partners;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObjectProperty<PartnerRow> partnerProperty() {
        return partner;
    }

    public ObjectProperty<ContractRecord> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<ContractEditorViewModel> editorProperty() {
        return editor.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ContractHistoryViewModel> historyProperty() {
        return history.getReadOnlyProperty();
    }

    public void closeHistory() {
        history.set(null);
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canEditProperty() {
        return canEdit.getReadOnlyProperty();
    }
}
