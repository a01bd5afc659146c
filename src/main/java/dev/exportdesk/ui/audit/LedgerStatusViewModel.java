package dev.exportdesk.ui.audit;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.verify.Check;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The workspace ledger's status for the Audit screen: the latest signed checkpoint (tree size and
 * root), the last recorded ledger verification and the signing key's fingerprint, read from the
 * engine in the background; "Verify ledger" (auditor/admin) re-checks the whole ledger, also in the
 * background, and records the result.
 */
public final class LedgerStatusViewModel {
    /** The outcome of the last ledger verification. */
    public enum Result { NEVER, PASS, FAIL }

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final ReadOnlyLongWrapper treeSize = new ReadOnlyLongWrapper(-1);
    private final ReadOnlyStringWrapper root = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper checkpoint = new ReadOnlyStringWrapper("Reading the ledger…");
    private final ReadOnlyStringWrapper fingerprint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper verifierKey = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastVerification = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Result> result = new ReadOnlyObjectWrapper<>(Result.NEVER);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canVerify = new ReadOnlyBooleanWrapper();

    public LedgerStatusViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        canVerify.set(engine.can(Permission.VERIFY));
    }

    /** Reads the status in the background. */
    public void refresh() {
        tasks.run(() -> engine.ledger().ledgerStatus(), this::show, e -> checkpoint.set("The ledger could not be read: "
                + ErrorText.summary(e)));
    }

    /** Verifies the whole ledger (auditor/admin) in the background, then shows the recorded result. */
    public void verify() {
        busy.set(true);
        lastVerification.set("Verifying the ledger…");
        tasks.submit("Verify ledger", p -> engine.ledger().verifyLedger(), checks -> {
            busy.set(false);
            List<Check> failed = checks.stream().filter(c -> !c.ok()).toList();
            if (failed.isEmpty()) {
                dialogs.notify(DialogService.Severity.INFO, "Ledger intact", checks.size() + " checks passed.");
            } else {
                dialogs.notify(DialogService.Severity.ERROR, "Ledger verification FAILED", failed.stream()
                        .map(c -> c.subject() + ": " + c.detail()).reduce((a, b) -> a + "\n" + b).orElse(""));
            }
            refresh();
        }, e -> {
            busy.set(false);
            refresh();
            dialogs.showError("The ledger could not be verified", e);
        });
    }

    private void show(dev.exportdesk.access.LedgerGuard.LedgerStatus s) {
        // the read just checked the role again: an admin may have changed it since the last refresh
        canVerify.set(engine.can(Permission.VERIFY));
        if (s.latestCheckpoint().isPresent()) {
            var cp = s.latestCheckpoint().get();
            treeSize.set(cp.treeSize());
            root.set(cp.rootHash());
            checkpoint.set("tree size " + cp.treeSize() + " · root " + cp.rootHash() + " · signed "
                    + time(cp.createdAt()) + " (" + cp.contractName() + ")");
        } else {
            treeSize.set(0);
            root.set("");
            checkpoint.set("no signed checkpoint yet (one is signed after each run)");
        }
        fingerprint.set(s.publicKeyFingerprint());
        verifierKey.set(s.verifierKey());
        if (s.lastVerification().isEmpty()) {
            result.set(Result.NEVER);
            lastVerification.set("never verified");
        } else {
            AuditEntry e = s.lastVerification().get();
            boolean pass = e.after() != null && e.after().startsWith("pass");
            result.set(pass ? Result.PASS : Result.FAIL);
            lastVerification.set((pass ? "intact" : "FAILED") + " — " + e.after() + " · by " + e.actor() + " at "
                    + time(e.at()));
        }
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private static String time(java.time.Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    /** Tree size of the latest signed checkpoint (0 when none, -1 before the first read). */
    public ReadOnlyLongProperty treeSizeProperty() {
        return treeSize.getReadOnlyProperty();
    }

    /** Root hash (hex) of the latest signed checkpoint ("" when none). */
    public ReadOnlyStringProperty rootProperty() {
        return root.getReadOnlyProperty();
    }

    /** The latest signed checkpoint in words. */
    public ReadOnlyStringProperty checkpointProperty() {
        return checkpoint.getReadOnlyProperty();
    }

    /** SHA-256 fingerprint of the workspace's Ed25519 public key. */
    public ReadOnlyStringProperty fingerprintProperty() {
        return fingerprint.getReadOnlyProperty();
    }

    /** The verifier key partners pass to verify-delivery. */
    public ReadOnlyStringProperty verifierKeyProperty() {
        return verifierKey.getReadOnlyProperty();
    }

    /** The last recorded ledger verification in words. */
    public ReadOnlyStringProperty lastVerificationProperty() {
        return lastVerification.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canVerifyProperty() {
        return canVerify.getReadOnlyProperty();
    }
}
