package dev.exportdesk.ui.audit;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.text.Text;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.contracts.LineDiff;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The before/after of the selected audit entry as the contract history's line diff. Values are
 * whatever the change stored (a contract body, a role name, a message), so they are made safe
 * text first; the diff runs in the background because a contract body can be long.
 */
public final class EntryDiffViewModel {
    private final TaskRunner tasks;
    private final ObservableList<LineDiff.Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private AuditEntry shown;

    public EntryDiffViewModel(TaskRunner tasks) {
        this.tasks = tasks;
    }

    /** Compares the entry's before and after (null: shows nothing). */
    public void show(AuditEntry entry) {
        shown = entry;
        rows.clear();
        if (entry == null) {
            summary.set("");
            return;
        }
        if (entry.before() == null && entry.after() == null) {
            summary.set("Nothing recorded before or after " + Text.safe(entry.action()) + ".");
            return;
        }
        String before = entry.before() == null ? "" : Text.safeMultiline(entry.before());
        String after = entry.after() == null ? "" : Text.safeMultiline(entry.after());
        summary.set("Comparing…");
        tasks.run(() -> LineDiff.diff(before, after), diff -> {
            // the user may have selected another entry while this one was compared
            if (shown == entry) {
                rows.setAll(diff);
                summary.set(describe(entry, diff));
            }
        }, e -> summary.set("Could not compare: " + ErrorText.summary(e)));
    }

    private static String describe(AuditEntry entry, List<LineDiff.Row> diff) {
        long changed = diff.stream().filter(r -> r.kind() != LineDiff.Kind.SAME).count();
        if (entry.before() == null) {
            return "Nothing before: " + diff.size() + " line(s) after.";
        }
        if (entry.after() == null) {
            return "Nothing after: " + diff.size() + " line(s) before.";
        }
        return changed == 0 ? "Before and after are the same." : changed + " line(s) differ.";
    }

    public ObservableList<LineDiff.Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
