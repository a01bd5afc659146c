package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract's TRUNCATE through the CLI against a wal_level=logical PostgreSQL: it ships as
 * a chunk marked {@code truncate_first} instead of stopping the run, and a stream run that does stop
 * for a re-sync (its slot gone) after sealing chunks is completed with them by {@code resync}.
 */
class LogicalTruncateCliTest {
    @TempDir
    Path dir;

    /**
     * A stream run that sealed chunks and then found its slot gone (here: its delivery failed, then the
     * slot was dropped before the resume) stops in RESYNC_REQUIRED; {@code resync} completes it with
     * the chunks it sealed — they may be at the partner already — and plans the full export after it.
     * (Before a TRUNCATE shipped, a TRUNCATE after a sealed chunk was how a run got here.)
     */
    @Test
    void aStoppedStreamRunThatSealedChunksIsCompletedByTheResync() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "sealed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path drop = dir.resolve("drop");
        CliRun cli = LogicalCaptureCliTest.itemsContract(dir, db, slot, 100, drop);
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("INSERT INTO items SELECT g, 1, 'burst ' || g FROM generate_series(1000, 1059) g");
        Path blocker = Files.writeString(drop.resolve("items").resolve("run-000002"), "not a folder");
        CliRun.Result failed = cli.run("run", "items");
        assertThat(failed.code()).as("delivery cannot make the run's folder: %s", failed.all()).isNotZero()
                .isNotEqualTo(ExitCodes.RESYNC_REQUIRED);
        Files.delete(blocker);
        db.exec("SELECT pg_drop_replication_slot('" + slot + "')");
        CliRun.Result lost = cli.run("run", "items");
        assertThat(lost.code()).as(lost.all()).isEqualTo(ExitCodes.RESYNC_REQUIRED);

        CliRun.Result closing = cli.run("resync", "items", "--dry-run");
        assertThat(closing.out()).contains("keeps the 1 chunk(s) it sealed", "items run #3 (new)");
        CliRun.Result closed = cli.run("resync", "items");
        assertThat(closed.code()).as(closed.all()).isZero();
        assertThat(closed.out()).contains("with the 1 chunk(s) it had sealed", "re-sync planned as run");
        db.exec("DELETE FROM items WHERE id = 1");
        CliRun.Result copied = cli.run("run", "items");
        assertThat(copied.code()).as(copied.all()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental", "full");
        assertThat(replay.manifests.get(1).rows()).as("the chunk sealed before the slot was lost").isEqualTo(60);
        assertThat(replay.versions()).isEqualTo(db.versions("items"));
        assertThat(cli.run("verify", "items", "--deep").code()).isZero();
    }

    /**
     * A TRUNCATE ships as a record the partner can act on: the transaction that truncated the table
     * starts a chunk marked {@code truncate_first} holding only its changes after the TRUNCATE (its
     * earlier ones were wiped by it), and later transactions go on as usual. The partner empties its
     * copy before that chunk; its replay is the source, deep verification counts the rows delivered
     * before as replaced, and the partner's verifier accepts the mark.
     */
    @Test
    void aTruncateShipsAsAChunkThatEmptiesThePartnersCopyFirst() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "trunc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path drop = dir.resolve("drop");
        CliRun cli = LogicalCaptureCliTest.itemsContract(dir, db, slot, 100, drop);
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("UPDATE items SET version = 2 WHERE id <= 20");
        assertThat(cli.run("run", "items").code()).isZero();

        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO items SELECT g, 1, 'before ' || g FROM generate_series(101, 110) g");
            st.execute("UPDATE items SET version = 3 WHERE id = 5");
            st.execute("TRUNCATE items");
            st.execute("INSERT INTO items SELECT g, 1, 'reloaded ' || g FROM generate_series(200, 249) g");
            c.commit();
            st.execute("UPDATE items SET version = version + 1 WHERE id BETWEEN 200 AND 209");
            c.commit();
            st.execute("DELETE FROM items WHERE id = 249");
            c.commit();
        }
        CliRun.Result stream = cli.run("run", "items");
        assertThat(stream.code()).as(stream.all()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental", "incremental");
        List<ChunkEntry> chunks = replay.manifests.get(2).chunks();
        assertThat(chunks.get(0)).as("the TRUNCATE's transaction from its TRUNCATE on, in a chunk of its own")
                .extracting(c -> c.rows(), c -> c.truncateFirst()).containsExactly(50L, true);
        assertThat(chunks.subList(1, chunks.size())).as("the two transactions after it, as usual")
                .allMatch(c -> !c.truncateFirst()).extracting(c -> c.rows()).containsExactly(11L);
        assertThat(replay.truncates).isEqualTo(1);
        assertThat(replay.delivered).as("changes before the TRUNCATE in its own transaction are not shipped")
                .noneMatch(r -> r.get("id").asLong() > 100 && r.get("id").asLong() < 200)
                .noneMatch(r -> r.get("version").asInt() == 3);
        assertThat(LogicalCaptureCliTest.difference(db.versions("items"), replay.versions())).as("lost or at another version").isEmpty();
        assertThat(LogicalCaptureCliTest.difference(replay.versions(), db.versions("items"))).as("unexpected: the truncated rows")
                .isEmpty();
        String manifests = Files.readString(drop.resolve("items").resolve(replayRunFolder(drop, 3)));
        assertThat(manifests).containsOnlyOnce("\"truncate_first\" : true");
        assertThat(Files.readString(drop.resolve("items").resolve(replayRunFolder(drop, 2))))
                .as("absent when false: other manifests keep their bytes").doesNotContain("truncate_first");

        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as("the copy's and the first stream's rows are replaced by the TRUNCATE: %s",
                deep.all()).isZero();
        CliRun.Result partner = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("partner-state").toString());
        assertThat(partner.code()).as(partner.all()).isZero();
        assertThat(partner.out()).contains("(truncate_first)", "empty your copy of the table");

        // a partner must not be told to empty a table by anything but the literal mark
        Path manifest = drop.resolve("items").resolve(replayRunFolder(drop, 3));
        Files.writeString(manifest, Files.readString(manifest).replace("\"truncate_first\" : true",
                "\"truncate_first\" : \"yes\""));
        CliRun.Result forged = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("partner-state-2").toString());
        assertThat(forged.code()).as(forged.all()).isNotZero();
        assertThat(forged.all()).contains("\"truncate_first\" must be true");
    }

    /** The manifest of the contract's run with this sequence, relative to the contract's folder. */
    private static String replayRunFolder(Path drop, long sequence) throws Exception {
        try (var runs = Files.list(drop.resolve("items"))) {
            return runs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("run-"))
                    .sorted().toList().get((int) sequence - 1) + "/manifest.json";
        }
    }
}
