package dev.exportdesk.ui.audit;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** The audit log: who did what, when, before and after; filters by actor, action and text; export. */
public final class AuditViewModel {
    public static final String ANY = "(any)";
    public static final int LIMIT = 10_000;
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final ReportWriter report;
    private final ObservableList<AuditEntry> all = FXCollections.observableArrayList();
    private final FilteredList<AuditEntry> visible = new FilteredList<>(all, e -> true);
    private final ObservableList<String> actors = FXCollections.observableArrayList();
    private final ObservableList<String> actions = FXCollections.observableArrayList();
    private final ObjectProperty<String> actor = new SimpleObjectProperty<>(ANY);
    private final ObjectProperty<String> action = new SimpleObjectProperty<>(ANY);
    private final StringProperty text = new SimpleStringProperty("");
    private final ObjectProperty<AuditEntry> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final LedgerStatusViewModel ledger;
    private final ConsoleContext context;

    public AuditViewModel(ConsoleContext context, ReportWriter report) {
        this.context = context;
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.report = report;
        this.ledger = new LedgerStatusViewModel(context);
        actor.addListener((o, a, b) -> filter());
        action.addListener((o, a, b) -> filter());
        text.addListener((o, a, b) -> filter());
        selected.addListener((o, a, e) -> detail.set(e == null ? "" : "Before:\n" + (e.before() == null ? "—"
                : e.before()) + "\n\nAfter:\n" + (e.after() == null ? "—" : e.after())));
    }

    /** Re-reads the audit log and the ledger status, both in the background. */
    public void refresh() {
        ledger.refresh();
        tasks.run(() -> engine.audit(LIMIT), entries -> {
            all.setAll(entries);
            actors.setAll(withAny(entries.stream().map(AuditEntry::actor).toList()));
            actions.setAll(withAny(entries.stream().map(AuditEntry::action).toList()));
            filter();
        }, e -> dialogs.showError("Could not read the audit log", e));
    }

    private static List<String> withAny(List<String> values) {
        List<String> out = new ArrayList<>();
        out.add(ANY);
        out.addAll(new TreeSet<>(values));
        return out;
    }

    private void filter() {
        String a = actor.get();
        String ac = action.get();
        String q = text.get() == null ? "" : text.get().trim().toLowerCase(Locale.ROOT);
        visible.setPredicate(e -> (a == null || ANY.equals(a) || e.actor().equals(a))
                && (ac == null || ANY.equals(ac) || e.action().equals(ac))
                && (q.isEmpty() || e.subject().toLowerCase(Locale.ROOT).contains(q)
                || (e.after() != null && e.after().toLowerCase(Locale.ROOT).contains(q))));
        summary.set(visible.size() + " of " + all.size() + " entries");
    }

    /** Writes the filtered entries with the report writer, in the background. */
    public void exportReport() {
        dialogs.chooseFileToSave("Export " + report.name(), "audit." + report.extension()).ifPresent(path -> {
            List<AuditEntry> rows = List.copyOf(visible);
            tasks.submit("Export " + report.name(), p -> {
                report.write(rows, path);
                return path;
            }, done -> dialogs.notify(DialogService.Severity.INFO, "Report written", rows.size() + " entries → " + done),
                    e -> dialogs.showError("The report could not be written", e));
        });
    }

    /** A fresh contract report dialog's model (contract, date range, format, file). */
    public ContractReportViewModel contractReport() {
        return new ContractReportViewModel(context);
    }

    /** The workspace ledger's status shown under the log. */
    public LedgerStatusViewModel ledger() {
        return ledger;
    }

    public ObservableList<AuditEntry> entries() {
        return visible;
    }

    public ObservableList<String> actors() {
        return actors;
    }

    public ObservableList<String> actions() {
        return actions;
    }

    public ObjectProperty<String> actorProperty() {
        return actor;
    }

    public ObjectProperty<String> actionProperty() {
        return action;
    }

    public StringProperty textProperty() {
        return text;
    }

    public ObjectProperty<AuditEntry> selectedProperty() {
        return selected;
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
