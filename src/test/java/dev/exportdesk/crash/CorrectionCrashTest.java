package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running `exportdesk correct` (then `resume`) with SIGKILL at random moments
 * until the correction run completes. Injected: SIGKILL while planning, re-reading, sealing,
 * delivering or finalizing. Must hold afterwards: exactly one correction run, at sequence 2, chained
 * to run 1; every corrected key delivered exactly once in it; nothing at the destination but listed
 * files; the partner's replay equals the source; the partner verifier passes. (PostgreSQL source:
 * the child and the test both reach it; its column names come back in lower case.)
 */
class CorrectionCrashTest {
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final String C = ItemsExport.CONTRACT;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void sigkillDuringACorrectionNeverLosesOrDuplicatesACorrectedRow() throws Exception {
        SourceDb db = SourceDb.postgres();
        Path workspace = dir.resolve("ws");
        try (TestEngine t = ItemsExport.exported(db, dir, "jsonl")) {
            // every row changed in place (cursor untouched): nothing but a correction will carry them
            db.exec("UPDATE items SET name = name || ' (fixed)'", "DELETE FROM items WHERE id % 50 = 0");
            assertThat(t.verify.verify(C, true).get(0).ok()).isFalse();
            // the correction's ~70 KB trickle out at the lowest cap, so its delivery lasts seconds: a
            // window that kills land in on any machine, not only between a fast machine's milliseconds
            t.importContract(Contracts.json(ItemsExport.contract(db, dir, "jsonl"), c -> ((ObjectNode) c.get("destination"))
                    .put("max_bytes_per_second", TransferPolicy.MIN_BYTES_PER_SECOND)));
        }

        Random random = new Random(20261201);
        int killedMidRun = 0;
        for (int trial = 0; trial < 40 && !correctionCompleted(workspace); trial++) {
            String[] command = correctionPlanned(workspace)
                    ? new String[] {"--workspace", workspace.toString(), "resume", "-q"}
                    : new String[] {"--workspace", workspace.toString(), "correct", C, "-q"};
            Path log = dir.resolve("trial-" + trial + ".log");
            Process child = ChildJvm.start(log, CHILD_JVM, command);
            // the kill moment sweeps later trial by trial (with jitter), so on a fast machine as on a
            // slow one some kills land between the correction's planning and its completion
            if (!child.waitFor(300 + trial * 120L + random.nextInt(400), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly(); // SIGKILL on Linux
                child.waitFor(30, TimeUnit.SECONDS);
                killedMidRun += correctionPlanned(workspace) && !correctionCompleted(workspace) ? 1 : 0;
            } else {
                assertThat(child.exitValue()).as("trial %d: %s", trial, Files.readString(log)).isZero();
            }
        }
        assertThat(correctionCompleted(workspace)).as("the correction completed within the trials").isTrue();
        assertThat(killedMidRun).as("kills that landed inside the correction run").isPositive();

        Path drop = dir.resolve("drop/" + C);
        Replay replay = Replay.of(drop, "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("incremental", "correction");
        CrashLoopTest.assertDeliveryFolderIsClean(drop, replay);
        Set<String> corrected = new HashSet<>();
        Set<String> twice = new HashSet<>();
        long shippedBefore = replay.manifests.get(0).rows();
        for (JsonNode row : replay.delivered.subList((int) shippedBefore, replay.delivered.size())) {
            String id = row.get("id").asText();
            if (!corrected.add(id)) {
                twice.add(id);
            }
        }
        assertThat(twice).as("keys delivered twice by the correction").isEmpty();
        assertThat(corrected).as("every row of the table was corrected: 980 changed, 20 deleted").hasSize(1000);

        Map<String, String> partner = new HashMap<>();
        replay.table.forEach((k, row) -> partner.put(k, row.get("name").asText()));
        assertThat(partner).as("the partner's replay").isEqualTo(ItemsExport.names(db));

        String key = Files.readString(workspace.resolve("ledger/verifier.key")).trim();
        PartnerVerifier.Result verified = new PartnerVerifier(key, false).verify(drop, dir.resolve("partner.json"));
        assertThat(verified.ok()).as(verified.items().toString()).isTrue();
        System.out.printf("correction crash loop: %d kill(s) inside the correction run%n", killedMidRun);
    }

    private static Optional<RunRecord> correction(Path workspace) {
        try (TestEngine t = TestEngine.open(workspace)) {
            return t.workspace.store().inTransaction(c -> t.workspace.store().runs().completedInOrder(c, C).stream()
                    .filter(r -> r.mode() == RunMode.CORRECTION).findFirst()
                    .or(() -> unfinished(t)));
        }
    }

    private static Optional<RunRecord> unfinished(TestEngine t) {
        return t.workspace.store().inTransaction(c -> t.workspace.store().runs().unfinished(c, C));
    }

    private static boolean correctionPlanned(Path workspace) {
        return correction(workspace).isPresent();
    }

    private static boolean correctionCompleted(Path workspace) {
        return correction(workspace).map(r -> r.state() == RunState.COMPLETED).orElse(false);
    }
}
