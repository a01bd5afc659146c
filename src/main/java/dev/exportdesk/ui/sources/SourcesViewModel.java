package dev.exportdesk.ui.sources;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.engine.SourceService;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.ui.ConnectionTimeout;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Source connections: everyone sees which connections contracts may name and which contracts name
 * each; administrators add, change, remove and test them. The form is checked as it is typed by the
 * engine's own rules ({@code SourceService.problems}, URL allow-list included) in the background,
 * one check at a time and always of the latest text, so no URL reaches a driver before it passed.
 * Whether this user manages connections is re-read from the store at every refresh, and the engine
 * refuses anyone else whatever the screen shows.
 */
public final class SourcesViewModel {
    static final String READ_ONLY = "Only administrators add, change or remove source connections. A contract may "
            + "name any connection listed here.";
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final Duration testTimeout;
    private final SourceForm form = new SourceForm();
    private final ObservableList<SourceRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<SourceRow> selected = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper canManage = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    /** The form as it reads now passed the engine's checks. */
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final BooleanBinding canAdd;
    private final BooleanBinding canSave;
    private final BooleanBinding canRemove;
    private final BooleanBinding canTest;
    private boolean checking;
    private boolean checkAgain;

    public SourcesViewModel(ConsoleContext context) {
        this(context, ConnectionTimeout.LIMIT);
    }

    SourcesViewModel(ConsoleContext context, Duration testTimeout) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.testTimeout = testTimeout;
        canManage.set(engine.can(Permission.MANAGE_SOURCES));
        BooleanBinding ready = canManage.getReadOnlyProperty().and(busy.not());
        BooleanBinding known = Bindings.createBooleanBinding(() -> row(form.draft().name()) != null, rows,
                form.field(SourceForm.Field.NAME));
        canAdd = ready.and(valid).and(known.not());
        canSave = ready.and(valid).and(known);
        canRemove = ready.and(selected.isNotNull());
        canTest = ready.and(valid);
        for (SourceForm.Field f : SourceForm.Field.values()) {
            form.field(f).addListener((o, a, b) -> formChanged());
        }
        selected.addListener((o, a, row) -> {
            if (row != null) {
                form.fill(row.source());
            }
        });
    }

    /** Re-reads this user's permission, then the connections with the contracts naming them. */
    public void refresh() {
        refresh(selected.get() == null ? null : selected.get().name());
    }

    private void refresh(String select) {
        tasks.run(() -> new Listing(engine.refreshUser().can(Permission.MANAGE_SOURCES), engine.sourceConnections().sourceUsage()), l -> {
            canManage.set(l.manage());
            notice.set(l.manage() ? "" : READ_ONLY);
            rows.setAll(l.usage().stream().map(SourceRow::of).toList());
            selected.set(row(select));
            if (l.manage()) {
                formChanged();
            }
        }, e -> message.set("Could not read the source connections: " + ErrorText.summary(e)));
    }

    private record Listing(boolean manage, List<SourceService.Usage> usage) {
    }

    private void formChanged() {
        valid.set(false);
        if (!canManage.get() || form.blank()) {
            form.errors().clear();
            return;
        }
        if (checking) {
            checkAgain = true;
            return;
        }
        checking = true;
        checkAgain = false;
        SourceConnection draft = form.draft();
        tasks.run(() -> engine.sourceConnections().sourceProblems(draft), problems -> {
            checking = false;
            if (checkAgain) {
                formChanged();
                return;
            }
            List<String> other = form.show(problems);
            valid.set(problems.isEmpty());
            if (!other.isEmpty()) {
                message.set(String.join("; ", other));
            }
        }, e -> {
            checking = false;
            if (checkAgain) {
                formChanged();
                return;
            }
            message.set("Could not check the connection: " + ErrorText.summary(e));
        });
    }

    public void add() {
        if (canAdd.get()) {
            SourceConnection s = form.draft();
            change("Not added", "Added source connection " + s.name() + ".", s.name(), () -> {
                engine.sourceConnections().addSource(s);
                return null;
            });
        }
    }

    /** Saves the form over the connection of that name; contracts naming it read through it from their next run. */
    public void save() {
        if (canSave.get()) {
            SourceConnection s = form.draft();
            change("Not saved", "Saved source connection " + s.name() + "; contracts naming it use it from "
                    + "their next run.", s.name(), () -> {
                        engine.sourceConnections().changeSource(s);
                        return null;
                    });
        }
    }

    /** Removes the selected connection after asking; the engine refuses while a contract names it. */
    public void remove() {
        SourceRow r = selected.get();
        if (canRemove.get() && dialogs.confirm("Remove source connection", "Remove the source connection "
                + r.name() + "? Contracts can no longer name it.")) {
            change("Not removed", "Removed source connection " + r.name() + ".", null, () -> {
                engine.sourceConnections().removeSource(r.name());
                return null;
            });
        }
    }

    /** Opens a read-only session with the form's connection (saved or not), giving up after the timeout. */
    public void test() {
        if (!canTest.get()) {
            return;
        }
        SourceConnection s = form.draft();
        busy.set(true);
        message.set("Connecting to " + s.name() + "…");
        tasks.run(() -> ConnectionTimeout.call(() -> engine.sourceConnections().testSourceConnection(s), testTimeout.toMillis()), r -> {
            busy.set(false);
            message.set("Source " + s.name() + " reachable: " + r);
        }, e -> {
            busy.set(false);
            message.set("Source " + s.name() + " not reachable. " + ErrorText.summary(e));
        });
    }

    /** Empties the form for a new connection. */
    public void clear() {
        selected.set(null);
        form.clear();
    }

    private void change(String refused, String done, String select, Callable<?> work) {
        busy.set(true);
        tasks.run(work, r -> {
            busy.set(false);
            message.set(done);
            if (select == null) {
                form.clear();
            }
            refresh(select);
        }, e -> {
            busy.set(false);
            if (e instanceof SourceService.SourceDefinitionException d) {
                form.show(d.problems());
                message.set(refused + ": the connection has problems, shown at their fields.");
            } else {
                message.set(refused + ": " + ErrorText.summary(e));
            }
            refresh();
        });
    }

    private SourceRow row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    public SourceForm form() {
        return form;
    }

    public ObservableList<SourceRow> rows() {
        return rows;
    }

    public ObjectProperty<SourceRow> selectedProperty() {
        return selected;
    }

    public ReadOnlyBooleanProperty canManageProperty() {
        return canManage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public BooleanBinding canAddProperty() {
        return canAdd;
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    public BooleanBinding canRemoveProperty() {
        return canRemove;
    }

    public BooleanBinding canTestProperty() {
        return canTest;
    }

    /** What the last action did, or why not. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** For users who cannot change connections: that only administrators do. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
