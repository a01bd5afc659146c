package dev.exportdesk.ui.destinations;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import dev.exportdesk.engine.delivery.DestinationService;
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
 * Named destinations: everyone sees where contracts may send and which contracts name each;
 * administrators add, change, remove and test them. Credentials typed here go to the engine only on
 * Add or Save (straight into the vault) and the fields are emptied after; the as-you-type check only
 * learns which credentials were typed. The engine refuses anyone but administrators whatever the
 * screen shows.
 */
public final class DestinationsViewModel {
    static final String READ_ONLY = "Only administrators add, change or remove destinations. A contract may name "
            + "any destination listed here (\"destination\": \"NAME\").";
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final Duration testTimeout;
    private final DestinationForm form = new DestinationForm();
    private final ObservableList<DestinationRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<DestinationRow> selected = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper canManage = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final BooleanBinding canAdd;
    private final BooleanBinding canSave;
    private final BooleanBinding canRemove;
    private final BooleanBinding canTest;
    private boolean checking;
    private boolean checkAgain;

    public DestinationsViewModel(ConsoleContext context) {
        this(context, ConnectionTimeout.LIMIT);
    }

    DestinationsViewModel(ConsoleContext context, Duration testTimeout) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.testTimeout = testTimeout;
        canManage.set(engine.can(Permission.MANAGE_DESTINATIONS));
        BooleanBinding ready = canManage.getReadOnlyProperty().and(busy.not());
        BooleanBinding known = Bindings.createBooleanBinding(() -> row(form.name()) != null, rows,
                form.field(DestinationForm.Field.NAME));
        canAdd = ready.and(valid).and(known.not());
        canSave = ready.and(valid).and(known);
        canRemove = ready.and(selected.isNotNull());
        canTest = ready.and(selected.isNotNull());
        for (DestinationForm.Field f : DestinationForm.Field.values()) {
            form.field(f).addListener((o, a, b) -> formChanged());
        }
        selected.addListener((o, a, row) -> {
            if (row != null) {
                form.fill(row.name(), row.definition().spec());
            }
        });
    }

    /** Re-reads this user's permission, then the destinations with the contracts naming them. */
    public void refresh() {
        refresh(selected.get() == null ? null : selected.get().name());
    }

    private void refresh(String select) {
        tasks.run(() -> new Listing(engine.refreshUser().can(Permission.MANAGE_DESTINATIONS),
                engine.destinations().destinationUsage()), l -> {
                    canManage.set(l.manage());
                    notice.set(l.manage() ? "" : READ_ONLY);
                    rows.setAll(l.usage().stream().map(DestinationRow::of).toList());
                    selected.set(row(select));
                    if (l.manage()) {
                        formChanged();
                    }
                }, e -> message.set("Could not read the destinations: " + ErrorText.summary(e)));
    }

    private record Listing(boolean manage, List<DestinationService.Usage> usage) {
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
        String name = form.name();
        String spec = form.specJson();
        Credentials typed = form.credentialsGiven();
        tasks.run(() -> engine.destinations().destinationProblems(name, spec, typed), problems -> {
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
            message.set("Could not check the destination: " + ErrorText.summary(e));
        });
    }

    public void add() {
        if (canAdd.get()) {
            String name = form.name();
            String spec = form.specJson();
            Credentials credentials = form.credentials();
            change("Not added", "Added destination " + name + ".", name,
                    () -> {
                        engine.destinations().addDestination(name, spec, credentials);
                        return null;
                    });
        }
    }

    /** Saves the form over the destination of that name; contracts naming it send there from their next run. */
    public void save() {
        if (canSave.get()) {
            String name = form.name();
            String spec = form.specJson();
            Credentials credentials = form.credentials();
            change("Not saved", "Saved destination " + name + "; contracts naming it send there from their next "
                    + "run.", name, () -> {
                        engine.destinations().changeDestination(name, spec, credentials);
                        return null;
                    });
        }
    }

    /** Removes the selected destination after asking; the engine refuses while a contract names it. */
    public void remove() {
        DestinationRow r = selected.get();
        if (canRemove.get() && dialogs.confirm("Remove destination", "Remove the destination " + r.name()
                + "? Contracts can no longer name it.")) {
            change("Not removed", "Removed destination " + r.name() + ".", null, () -> {
                engine.destinations().removeDestination(r.name());
                return null;
            });
        }
    }

    /** Probes the selected (stored) destination in the background, giving up after the timeout. */
    public void test() {
        if (!canTest.get()) {
            return;
        }
        String name = selected.get().name();
        busy.set(true);
        message.set("Testing " + name + "…");
        tasks.run(() -> ConnectionTimeout.call(() -> engine.destinations().testDestination(name),
                testTimeout.toMillis()), r -> {
                    busy.set(false);
                    message.set(words(name, r));
                }, e -> {
                    busy.set(false);
                    message.set("Destination " + name + " not reachable. " + ErrorText.summary(e));
                });
    }

    static String words(String name, DestinationProbe.Result r) {
        if (r.error() != null) {
            return "Destination " + name + " failed the test: " + r.error();
        }
        return "Destination " + name + " works: a " + r.bytes() / 1024 + " KiB probe was written, read back "
                + "with the same hash and deleted (" + r.connect().plus(r.write()).plus(r.read()).plus(r.delete())
                .toMillis() + " ms).";
    }

    /** Empties the form for a new destination. */
    public void clear() {
        selected.set(null);
        form.clear();
    }

    private void change(String refused, String done, String select, Callable<?> work) {
        busy.set(true);
        tasks.run(work, r -> {
            busy.set(false);
            form.clearCredentials();
            message.set(done);
            if (select == null) {
                form.clear();
            }
            refresh(select);
        }, e -> {
            busy.set(false);
            if (e instanceof DestinationService.DestinationDefinitionException d) {
                form.show(d.problems());
                message.set(refused + ": the destination has problems, shown at their fields.");
            } else {
                message.set(refused + ": " + ErrorText.summary(e));
            }
            refresh();
        });
    }

    private DestinationRow row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    public DestinationForm form() {
        return form;
    }

    public ObservableList<DestinationRow> rows() {
        return rows;
    }

    public ObjectProperty<DestinationRow> selectedProperty() {
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

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
