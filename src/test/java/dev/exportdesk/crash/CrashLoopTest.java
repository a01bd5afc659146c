package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running a real export with SIGKILL at random moments, over and over, while the
 * source keeps changing (updates, inserts, soft deletes, late commits behind the cursor). After the
 * loop, the partner's replay of every manifest in order must equal the source table, with zero rows
 * lost, zero (key, version) delivered twice, and no stray or partial files at the destination.
 * Half the kills land while one chunk is delivered at a time, half while three are.
 */
class CrashLoopTest {
    private static final int KILLS = 24;
    private static final int MAX_TRIALS = 60;
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void sigkillAtRandomMomentsNeverLosesOrDuplicatesAChange() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(40).withNano(0);
        Random random = new Random(20261125);
        long nextId = ItemsActivity.seed(db, 1, 8000, base);
        Path drop = dir.resolve("drop");
        Path workspace = dir.resolve("ws");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("soft_delete_column", "deleted_at");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100);
        ((ObjectNode) contract.get("late_data")).put("lookback", "1h");
        try (TestEngine t = TestEngine.open(workspace)) {
            t.importContract(contract.toString());
        }

        int killedWhileRunning = 0;
        KillDelays delays = new KillDelays(random, 300, 1700);
        boolean parallel = false;
        OffsetDateTime clock = base.plusMinutes(1);
        int trial = 0;
        for (; killedWhileRunning < KILLS; trial++) {
            assertThat(trial).as("trials needed for %d kills that landed mid-run", KILLS).isLessThan(MAX_TRIALS);
            if (!parallel && killedWhileRunning >= KILLS / 2) {
                parallel = true;
                // the second half delivers three chunks at a time: kills now land between
                // out-of-order deliveries, and resume must still finish exactly once
                ((ObjectNode) contract.get("destination")).put("parallel_transfers", 3);
                try (TestEngine t = TestEngine.open(workspace)) {
                    t.importContract(contract.toString());
                }
            }
            clock = clock.plusSeconds(20);
            nextId = ItemsActivity.mutate(db, random, nextId, clock);
            String[] command = trial % 5 == 4
                    ? new String[] {"--workspace", workspace.toString(), "resume", "-q"}
                    : new String[] {"--workspace", workspace.toString(), "run", "items", "-q"};
            Process child = ChildJvm.start(dir.resolve("trial-" + trial + ".log"), CHILD_JVM, command);
            if (!child.waitFor(delays.next(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly(); // SIGKILL on Linux
                killedWhileRunning++;
                child.waitFor(30, TimeUnit.SECONDS);
            } else {
                delays.missed();
                assertThat(child.exitValue()).as("trial %d finished on its own: %s", trial,
                        Files.readString(dir.resolve("trial-" + trial + ".log"))).isZero();
            }
        }

        // Let the last interrupted run finish, then one more run picks up anything left.
        for (int i = 0; i < 2; i++) {
            int code = ChildJvm.run(dir.resolve("final-" + i + ".log"), CHILD_JVM, 120,
                    "--workspace", workspace.toString(), "run", "items", "-q");
            assertThat(code).as(Files.readString(dir.resolve("final-" + i + ".log"))).isZero();
        }
        Replay replay = Replay.of(drop.resolve("items"), "id");
        ItemsActivity.assertReplayIsTheSource(replay, db);
        assertDeliveryFolderIsClean(drop.resolve("items"), replay);
        System.out.printf("crash loop: %d trials, %d killed mid-run, %d runs completed, %d records delivered%n",
                trial, killedWhileRunning, replay.manifests.size(), replay.delivered.size());
    }

    /** Sequences gap-free, manifests chained, and nothing at the destination but listed files. */
    static void assertDeliveryFolderIsClean(Path contractDir, Replay replay) throws Exception {
        List<Path> runDirs;
        try (Stream<Path> s = Files.list(contractDir)) {
            runDirs = s.sorted().toList();
        }
        assertThat(runDirs).hasSize(replay.manifests.size());
        String previous = null;
        for (int i = 0; i < runDirs.size(); i++) {
            Manifest m = replay.manifests.get(i);
            assertThat(m.sequence()).isEqualTo(i + 1);
            assertThat(m.previousManifestSha256()).isEqualTo(previous);
            Path runDir = runDirs.get(i);
            previous = Hashing.digest(runDir.resolve("manifest.json")).sha256();
            Set<String> listed = new HashSet<>(List.of("manifest.json", "SHA256SUMS", "checkpoint.txt",
                    "ledger-proofs.json")); // the ledger files are delivered with every run (issue 5)
            for (ChunkEntry c : m.chunks()) {
                listed.add(c.file());
                assertThat(Hashing.digest(runDir.resolve(c.file())).sha256()).isEqualTo(c.sha256());
            }
            try (Stream<Path> files = Files.list(runDir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .as("files in %s", runDir).containsExactlyInAnyOrderElementsOf(listed);
            }
        }
    }
}
