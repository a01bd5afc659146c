package dev.exportdesk.ui.runs;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * The Exports screen's Check receipt: looks for the selected run's partner receipt once, in the
 * background, as {@code exportdesk ack RUN} does. Offered only for a completed run whose contract
 * expects a receipt, to a user who may operate runs (judging may send chunks again).
 */
final class ReceiptCheck {
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final ReadOnlyBooleanWrapper checkable = new ReadOnlyBooleanWrapper();
    private RunRecord selected;

    ReceiptCheck(GuardedEngine engine, TaskRunner tasks) {
        this.engine = engine;
        this.tasks = tasks;
    }

    /** A new selection: asks in the background whether its receipt can be checked; a late answer is dropped. */
    void select(RunRecord run) {
        selected = run;
        checkable.set(false);
        if (run == null || run.state() != RunState.COMPLETED || !engine.can(Permission.OPERATE_RUNS)) {
            return;
        }
        tasks.run(() -> engine.receipt(run).filter(a -> a.state() != AckState.NOT_EXPECTED).isPresent(),
                expected -> checkable.set(expected && selected != null && selected.id().equals(run.id())),
                e -> checkable.set(false));
    }

    /**
     * Checks the selected run's receipt; {@code said} hears the outcome in words. Nothing is
     * refreshed after it: the runs table shows no receipts, and a refresh would replace the words.
     */
    void check(Consumer<String> said) {
        RunRecord run = selected;
        if (run == null || !checkable.get()) {
            return;
        }
        said.accept("Checking the receipt of " + run.contractName() + " #" + run.sequence() + "…");
        tasks.run(() -> engine.checkReceipt(run.id(), false), a -> said.accept(ReceiptText.of(run, a)), e -> said.accept("Could not check the receipt of " + run.contractName() + " #" + run.sequence() + ": "
                + ErrorText.summary(e)));
    }

    ReadOnlyBooleanProperty checkableProperty() {
        return checkable.getReadOnlyProperty();
    }
}
