package dev.exportdesk.engine.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.LeaseLostException;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.TaskClaim;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Due verifications, receipt polls and retentions are fenced like runs (issue 13): each claim of a
 * task gets an epoch one higher than the last, and a worker whose claim another worker took since
 * (it was frozen past the claim's expiry) commits nothing more of that work.
 */
class TaskFencingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aVerificationUnderAClaimTakenSinceRecordsNothingAndTheNewHolderRecordsIt() throws Exception {
        try (TestEngine t = ItemsExport.exported(SourceDb.h2(dir.resolve("src")), dir, "jsonl")) {
            String key = "verify:" + ItemsExport.CONTRACT;
            WorkClaims a = new WorkClaims(t.ctx, t.contracts, "a", TIMEOUT);
            WorkClaims b = new WorkClaims(t.ctx, t.contracts, "b", TIMEOUT);
            TaskClaim first = a.task(ItemsExport.CONTRACT, key).orElseThrow();
            assertThat(first.epoch()).isEqualTo(1);
            assertThat(b.task(ItemsExport.CONTRACT, key)).as("held by a").isEmpty();

            expire(t.ctx.store(), key); // a froze past its claim
            TaskClaim second = b.task(ItemsExport.CONTRACT, key).orElseThrow();
            assertThat(second.epoch()).isEqualTo(2);

            long verificationsBefore = count(t.ctx.store(), "verifications");
            long auditBefore = count(t.ctx.store(), "audit_log");
            assertThatThrownBy(() -> verifier(t, first).verify(ItemsExport.CONTRACT, false))
                    .isInstanceOf(LeaseLostException.class)
                    .hasMessageContaining("claim on " + key + " lost (this worker held epoch 1)")
                    .hasMessageContaining("worker b claimed it since (epoch 2)");
            assertThat(count(t.ctx.store(), "verifications")).as("verifications recorded by the stale worker")
                    .isEqualTo(verificationsBefore);
            assertThat(count(t.ctx.store(), "audit_log")).isEqualTo(auditBefore);
            assertThat(a.extendTask(first, Duration.ofMinutes(1))).as("the stale worker's renewal").isFalse();

            assertThat(verifier(t, second).verify(ItemsExport.CONTRACT, false)).allMatch(VerifyService.DeepOutcome::ok);
            assertThat(count(t.ctx.store(), "verifications")).isGreaterThan(verificationsBefore);
            assertThat(b.extendTask(second, Duration.ofMinutes(1))).isTrue();
            assertThat(a.task(ItemsExport.CONTRACT, key)).as("resting after it was done").isEmpty();
        }
    }

    @Test
    void onAPostgresqlStoreEachClaimRaisesTheEpochAndAStaleClaimCommitsNothing() {
        String url = PostgresCluster.shared().createDatabase("task_fencing");
        try (StateStore store = StateStore.open(url, "postgres", "")) {
            String key = "receipt:run-1";
            TaskClaim first = claim(store, key, "a").orElseThrow();
            assertThat(claim(store, key, "b")).isEmpty();
            store.fenced(first).update(c -> store.audit().append(c, Instant.now(), "a", "test.write", key, null,
                    "under the current claim"));
            assertThat(count(store, "audit_log")).isEqualTo(1);

            expire(store, key);
            TaskClaim second = claim(store, key, "b").orElseThrow();
            assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
            assertThatThrownBy(() -> store.fenced(first).update(c -> store.audit().append(c, Instant.now(), "a",
                    "test.write", key, null, "under a claim taken since")))
                    .isInstanceOf(LeaseLostException.class).hasMessageContaining("worker b claimed it since (epoch 2)");
            assertThat(count(store, "audit_log")).as("audit rows after the stale write").isEqualTo(1);
            boolean renewed = store.inTransaction(c -> store.workClaims().extend(c, first, Instant.now().plusSeconds(60)));
            assertThat(renewed).as("the stale worker's renewal").isFalse();
            store.fenced(second).update(c -> store.audit().append(c, Instant.now(), "b", "test.write", key, null,
                    "under the new claim"));
            assertThat(count(store, "audit_log")).isEqualTo(2);
        }
    }

    private static VerifyService verifier(TestEngine t, TaskClaim claim) {
        EngineContext fenced = t.ctx.withStore(t.ctx.store().fenced(claim));
        return new VerifyService(fenced, new ContractService(fenced, () -> false));
    }

    private static Optional<TaskClaim> claim(StateStore store, String key, String holder) {
        return store.inTransaction(c -> store.workClaims().claim(c, key, holder, store.leases().storeNow(c), TIMEOUT));
    }

    private static void expire(StateStore store, String key) {
        store.update(c -> {
            try (var st = c.prepareStatement("UPDATE work_claims SET expires_at = ? WHERE work_key = ?")) {
                st.setObject(1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1));
                st.setString(2, key);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
        });
    }

    private static long count(StateStore store, String table) {
        return store.inTransaction(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
