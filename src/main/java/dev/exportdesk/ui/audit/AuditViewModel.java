package dev.exportdesk.ui.audit;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.AuditFilter;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.TaskRunner;
import java.time.LocalDate;
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

/**
 * The audit log: who did what, when, before and after; export. The date range is asked of the
 * The date range, actor and action are asked of the store (the log grows without bound); the text,
 * changed at every keystroke, filters the entries it returned.
 */
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
    private final ObjectProperty<AuditRange.Period> period = new SimpleObjectProperty<>(AuditRange.Period.ANY);
    private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper rangeProblem = new ReadOnlyStringWrapper("");
    private final ObjectProperty<AuditEntry> selected = new SimpleObjectProperty<>();
    private final EntryDiffViewModel diff;
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private long query;
    private boolean clearingDates;
    private boolean listingChoices;
    private final LedgerStatusViewModel ledger;
    private final ConsoleContext context;

    public AuditViewModel(ConsoleContext context, ReportWriter report) {
        this.context = context;
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.report = report;
        this.ledger = new LedgerStatusViewModel(context);
        actor.addListener((o, a, b) -> choiceChanged());
        action.addListener((o, a, b) -> choiceChanged());
        text.addListener((o, a, b) -> filter());
        this.diff = new EntryDiffViewModel(tasks);
        selected.addListener((o, a, e) -> diff.show(e));
        period.addListener((o, a, p) -> {
            if (p != AuditRange.Period.DATES) {
                clearingDates = true;
                from.set(null);
                to.set(null);
                clearingDates = false;
            }
            read();
        });
        from.addListener((o, a, d) -> datePicked(d));
        to.addListener((o, a, d) -> datePicked(d));
    }

    /** Picking a day leaves a quick period: the dates are the range now. */
    private void datePicked(LocalDate day) {
        if (clearingDates) {
            return;
        }
        if (day != null && period.get() != AuditRange.Period.DATES) {
            period.set(AuditRange.Period.DATES);
        } else {
            read();
        }
    }

    /** Re-reads the audit log and the ledger status, both in the background. */
    public void refresh() {
        ledger.refresh();
        read();
    }

    /** Asks the store for the entries in the range; an impossible range is refused here, not queried. */
    private void read() {
        long asked = ++query;
        String problem = period.get() == AuditRange.Period.DATES ? AuditRange.problem(from.get(), to.get()) : null;
        rangeProblem.set(problem == null ? "" : problem);
        if (problem != null) {
            all.clear();
            filter();
            return;
        }
        AuditRange range = AuditRange.of(period.get(), from.get(), to.get(), context.clock().instant());
        String who = chosen(actor.get());
        String what = chosen(action.get());
        AuditFilter filter = new AuditFilter(range.from(), range.to(), who, what);
        tasks.run(() -> engine.audit(filter, LIMIT), entries -> {
            // ranges change faster than the store answers: only the latest question's answer is shown
            if (asked != query) {
                return;
            }
            all.setAll(entries);
            // a box that filtered the query would list only its own choice: it keeps the choices it had
            if (who == null) {
                list(actors, actor, entries.stream().map(AuditEntry::actor).toList());
            }
            if (what == null) {
                list(actions, action, entries.stream().map(AuditEntry::action).toList());
            }
            filter();
        }, e -> dialogs.showError("Could not read the audit log", e));
    }

    private void choiceChanged() {
        if (!listingChoices) {
            read();
        }
    }

    /**
     * Replaces a box's choices and keeps its choice: a combo box clears its value when its items
     * are replaced, which showed an empty box (and would ask the store again) after every read.
     */
    private void list(ObservableList<String> choices, ObjectProperty<String> choice, List<String> values) {
        String kept = choice.get();
        listingChoices = true;
        choices.setAll(withAny(values));
        choice.set(kept == null ? ANY : kept);
        listingChoices = false;
    }

    private static List<String> withAny(List<String> values) {
        List<String> out = new ArrayList<>();
        out.add(ANY);
        out.addAll(new TreeSet<>(values));
        return out;
    }

    private static String chosen(String choice) {
        return choice == null || ANY.equals(choice) ? null : choice;
    }

    private void filter() {
        String q = text.get() == null ? "" : text.get().trim().toLowerCase(Locale.ROOT);
        visible.setPredicate(e -> (q.isEmpty() || e.subject().toLowerCase(Locale.ROOT).contains(q)
                || (e.after() != null && e.after().toLowerCase(Locale.ROOT).contains(q))));
        summary.set(visible.size() + " of " + all.size() + " entries"
                + (all.size() == LIMIT ? " (the newest " + LIMIT + " in the range)" : ""));
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

    public ObjectProperty<AuditRange.Period> periodProperty() {
        return period;
    }

    /** The first day of the range (UTC), null: open. */
    public ObjectProperty<LocalDate> fromProperty() {
        return from;
    }

    /** The last day of the range (UTC, included), null: open. */
    public ObjectProperty<LocalDate> toProperty() {
        return to;
    }

    /** Why the picked days were not asked for; empty when they were. */
    public ReadOnlyStringProperty rangeProblemProperty() {
        return rangeProblem.getReadOnlyProperty();
    }

    /** The before/after of the selected entry. */
    public EntryDiffViewModel diff() {
        return diff;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
