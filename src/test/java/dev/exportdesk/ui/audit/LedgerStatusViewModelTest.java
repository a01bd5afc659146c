package dev.exportdesk.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Audit screen's ledger status without the toolkit, on a real workspace: before any run there is
 * no checkpoint; after a run it shows the latest signed checkpoint's tree size and root exactly as
 * stored and the key fingerprint the signing origin is derived from; "Verify ledger" records and
 * shows a pass, and after one ledger row is tampered with, a failure. Operators may not verify.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedgerStatusViewModelTest {
    @TempDir
    Path dir;

    @Test
    void showsTheLatestCheckpointFingerprintAndTheLastVerification() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 6_000)) {
            User ada = fixture.user("ada", Role.AUDITOR);
            RecordingDialogs dialogs = new RecordingDialogs();
            ConsoleContext ctx = fixture.context(ada, new DirectTaskRunner(), dialogs, Runnable::run);
            AuditViewModel audit = new AuditViewModel(ctx, new CsvAuditReport());
            LedgerStatusViewModel vm = audit.ledger();
            assertThat(vm.treeSizeProperty().get()).isEqualTo(-1);

            audit.refresh();
            assertThat(vm.treeSizeProperty().get()).isZero();
            assertThat(vm.checkpointProperty().get()).startsWith("no signed checkpoint yet");
            assertThat(vm.resultProperty().get()).isEqualTo(LedgerStatusViewModel.Result.NEVER);
            assertThat(vm.lastVerificationProperty().get()).isEqualTo("never verified");

            assertThat(fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE).completed()).isTrue();
            vm.refresh();
            long[] storedSize = new long[1];
            String[] storedRootBox = new String[1];
            fixture.workspace.store().inTransaction(c -> {
                try (PreparedStatement st = c.prepareStatement("SELECT tree_size, root_hash FROM ledger_checkpoints "
                        + "ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY"); ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    storedSize[0] = rs.getLong(1);
                    storedRootBox[0] = rs.getString(2);
                }
                return null;
            });
            String storedRoot = storedRootBox[0];
            assertThat(storedSize[0]).isPositive();
            assertThat(vm.treeSizeProperty().get()).isEqualTo(storedSize[0]);
            assertThat(vm.rootProperty().get()).isEqualTo(storedRoot).matches("[0-9a-f]{64}");
            assertThat(vm.checkpointProperty().get()).contains("tree size " + storedSize[0]).contains(storedRoot);
            // the signing origin is exportdesk/<first 16 hex digits of the key's SHA-256>
            assertThat(vm.fingerprintProperty().get()).matches("SHA256:[0-9a-f]{64}");
            assertThat(vm.verifierKeyProperty().get())
                    .startsWith("exportdesk/" + vm.fingerprintProperty().get().substring(7, 23) + "+");

            assertThat(vm.canVerifyProperty().get()).isTrue();
            vm.verify();
            assertThat(vm.resultProperty().get()).isEqualTo(LedgerStatusViewModel.Result.PASS);
            assertThat(vm.lastVerificationProperty().get()).startsWith("intact — pass: ").contains("by ada");
            assertThat(dialogs.notifications).anyMatch(n -> n.contains("Ledger intact"));
            assertThat(fixture.engine(fixture.admin).audit(5)).anyMatch(e -> e.actor().equals("ada")
                    && e.action().equals("ledger.verify") && e.after().startsWith("pass"));

            fixture.workspace.store().update(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE ledger_entries SET leaf_hash = ? "
                        + "WHERE leaf_index = 1")) {
                    st.setString(1, "0".repeat(64));
                    assertThat(st.executeUpdate()).isEqualTo(1);
                }
            });
            vm.verify();
            assertThat(vm.resultProperty().get()).isEqualTo(LedgerStatusViewModel.Result.FAIL);
            assertThat(vm.lastVerificationProperty().get()).startsWith("FAILED — fail: ");
            assertThat(dialogs.notifications).anyMatch(n -> n.contains("Ledger verification FAILED"));

            // a fresh screen reads the recorded result back
            LedgerStatusViewModel again = new AuditViewModel(ctx, new CsvAuditReport()).ledger();
            again.refresh();
            assertThat(again.resultProperty().get()).isEqualTo(LedgerStatusViewModel.Result.FAIL);

            User op = fixture.user("otto", Role.OPERATOR);
            assertThat(new LedgerStatusViewModel(fixture.context(op, new DirectTaskRunner(), dialogs, Runnable::run))
                    .canVerifyProperty().get()).isFalse();
            assertThatThrownBy(() -> fixture.engine(op).ledger().verifyLedger()).isInstanceOf(AccessDeniedException.class);
        }
    }
}
