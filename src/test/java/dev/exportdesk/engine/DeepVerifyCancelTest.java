package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.engine.verification.VerifyProgress.Phase;
import dev.exportdesk.engine.verification.VerifyProgress;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.VerificationCancelledException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 #12: a deep verification reports each chunk and stops, when cancelled, at its next step.
 * Injected: a cancel after two of four chunks of the source comparison, and one after the first file
 * re-hashed. Must hold: no reconciliation pass is recorded (the drift history and the audit log show
 * no pass), the cancel is audited with how far it got, and a later verification runs in full.
 */
class DeepVerifyCancelTest {
    @TempDir
    Path dir;

    @Test
    void cancelledInTheSourceComparisonRecordsNoPass() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        try (TestEngine t = ItemsExport.exported(db, dir, "jsonl")) {
            db.exec("UPDATE items SET name = 'changed after export' WHERE id = 1990");
            String runId = t.status.recentRuns(1).get(0).id();
            List<VerifyProgress> seen = new CopyOnWriteArrayList<>();

            assertThatThrownBy(() -> t.verify.verify(runId, true, seen::add,
                    () -> seen.stream().anyMatch(p -> p.phase() == Phase.SOURCE && p.chunksDone() == 2)))
                    .isInstanceOf(VerificationCancelledException.class)
                    .hasMessage("verification of items-to-acme run 1 cancelled by test in its source check, after 2 "
                            + "of 4 chunks");
            assertThat(seen).extracting(VerifyProgress::phase, VerifyProgress::chunksDone, VerifyProgress::chunksTotal)
                    .containsExactly(tuple(Phase.DELIVERY, 0, 4), tuple(Phase.DELIVERY, 1, 4),
                            tuple(Phase.DELIVERY, 2, 4), tuple(Phase.DELIVERY, 3, 4), tuple(Phase.DELIVERY, 4, 4),
                            tuple(Phase.SOURCE, 0, 4), tuple(Phase.SOURCE, 1, 4), tuple(Phase.SOURCE, 2, 4));
            assertThat(seen.get(6).fraction()).isEqualTo(0.25);
            assertThat(passes(t, runId)).as("no reconciliation pass: the drift history shows nothing").isEmpty();
            List<AuditEntry> audit = t.status.audit(50);
            assertThat(audit).extracting(AuditEntry::action).doesNotContain("run.reconcile");
            assertThat(audit).filteredOn(e -> e.action().equals("verify.cancel")).singleElement()
                    .satisfies(e -> assertThat(e.after()).isEqualTo("verification of items-to-acme run 1 cancelled by "
                            + "test in its source check, after 2 of 4 chunks; its delivery check recorded, no "
                            + "reconciliation pass"));

            VerifyService.DeepOutcome again = t.verify.verify(runId, true).get(0);
            assertThat(again.ok()).as("the changed row in the last chunk").isFalse();
            assertThat(passes(t, runId)).singleElement().satisfies(p -> assertThat(p.outcome()).isEqualTo("mismatch"));
        }
    }

    @Test
    void cancelledWhileReHashingRecordsNothing() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        try (TestEngine t = ItemsExport.exported(db, dir, "jsonl")) {
            String runId = t.status.recentRuns(1).get(0).id();
            List<VerifyProgress> seen = new CopyOnWriteArrayList<>();

            assertThatThrownBy(() -> t.verify.verify("items-to-acme", true, seen::add,
                    () -> seen.stream().anyMatch(p -> p.chunksDone() == 1)))
                    .isInstanceOf(VerificationCancelledException.class)
                    .hasMessageEndingWith("in its delivery check, after 1 of 4 chunks");
            List<dev.exportdesk.store.Verification> checks = t.workspace.store().inTransaction(c ->
                    t.workspace.store().verifications().forRun(c, runId));
            assertThat(checks).as("no delivery check recorded").isEmpty();
            assertThat(passes(t, runId)).isEmpty();
            assertThat(t.status.audit(50)).extracting(AuditEntry::action).doesNotContain("run.verify", "run.reconcile")
                    .contains("verify.cancel");
            assertThat(t.status.audit(1).get(0).after()).endsWith("; nothing of it recorded");
        }
    }

    private static List<dev.exportdesk.store.ReconciliationRepository.Pass> passes(TestEngine t, String runId) {
        return t.workspace.store().inTransaction(c -> t.workspace.store().reconciliations().passesForRun(c, runId));
    }
}
