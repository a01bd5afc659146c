package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resync} of a cursor contract, for a partner who lost their copy: the next run is a full
 * export in the same sequence (it replaces the partner's copy, so a hard delete the cursor never
 * saw is gone from it), and the run after it is an increment from where the full export ended.
 */
class ResyncCursorCliTest {
    @TempDir
    Path dir;

    @Test
    void aCursorContractsResyncIsAFullExportAndIncrementsCarryOnFromIt() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT g, 1, now() - interval '1 hour' FROM generate_series(1, 120) g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 50);
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        assertThat(cli.run("run", "items").code()).isZero();
        // a hard delete: no cursor sees it, only a full export that replaces the partner's copy
        db.exec("DELETE FROM items WHERE id <= 5",
                "UPDATE items SET version = 2, updated_at = now() - interval '30 minutes' WHERE id = 10");

        CliRun.Result preview = cli.run("resync", "items", "--dry-run");
        assertThat(preview.code()).as(preview.all()).isZero();
        assertThat(preview.out()).contains("items run #2 (new) becomes a full export").doesNotContain("slot");
        CliRun.Result resync = cli.run("resync", "items");
        assertThat(resync.code()).as(resync.all()).isZero();
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("INSERT INTO items VALUES (500, 1, now() - interval '10 minutes')",
                "UPDATE items SET version = 3, updated_at = now() - interval '10 minutes' WHERE id = 11");
        assertThat(cli.run("run", "items").code()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("incremental", "full", "incremental");
        assertThat(replay.manifests.get(1).rows()).as("the whole table").isEqualTo(115);
        assertThat(replay.manifests.get(2).rows()).as("only what changed after the full export").isEqualTo(2);
        Map<String, Integer> partner = new HashMap<>(replay.versions());
        assertThat(partner).isEqualTo(db.versions("items"));
        assertThat(cli.run("verify", "items", "--deep").code()).isZero();
    }

    /**
     * {@code resync --from}: a partner that lost what arrived after some point gets every row from
     * that cursor value on again (the ones shipped before included), then what changed since, in one
     * run of mode "resend"; the dry run names the rows the real one then sends, and a watermark that
     * is not a time, or lies after the last run's end, is refused with nothing planned.
     */
    @Test
    void resyncFromAWatermarkSendsAgainWhatWasShippedFromThereOn() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT g, 1, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' "
                        + "FROM generate_series(1, 120) g",
                // shipped inside the lookback window: the shipped-row index knows them, and must not hold them back
                "INSERT INTO items SELECT g, 1, now() - interval '5 minutes' FROM generate_series(121, 130) g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 25);
        ((ObjectNode) contract.get("late_data")).put("lookback", "30m");
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        assertThat(cli.run("run", "items").code()).isZero();

        CliRun.Result notATime = cli.run("resync", "items", "--from", "yesterday");
        assertThat(notATime.code()).as(notATime.all()).isEqualTo(3);
        assertThat(notATime.err()).contains("--from", "updated_at").doesNotContain("Exception");
        CliRun.Result tooLate = cli.run("resync", "items", "--from", "2999-01-01T03:00:00Z");
        assertThat(tooLate.code()).as(tooLate.all()).isEqualTo(3);
        assertThat(tooLate.err()).contains("after where the last run of items ended");

        // id 100 moves past the checkpoint: the forward scan carries it once, the re-send no longer sees it
        db.exec("UPDATE items SET version = 2, updated_at = now() - interval '2 minutes' WHERE id = 100",
                "INSERT INTO items VALUES (500, 1, now() - interval '2 minutes')");
        CliRun.Result preview = cli.run("resync", "items", "--from", "2026-01-01T01:21:00Z", "--dry-run");
        assertThat(preview.code()).as(preview.all()).isZero();
        assertThat(preview.out()).contains("items run #2 (new) sends again every row whose updated_at is at or after "
                + "2026-01-01T01:21:00.000000Z", "(49 row(s) at the source now)", "dry run: nothing changed");
        CliRun.Result resync = cli.run("resync", "items", "--from", "2026-01-01T01:21:00Z");
        assertThat(resync.code()).as(resync.all()).isZero();
        assertThat(resync.out()).contains("re-sync planned as run", "(#2)", "exportdesk run items");
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("UPDATE items SET version = 3, updated_at = now() - interval '1 minute' WHERE id = 5");
        assertThat(cli.run("run", "items").code()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("incremental", "resend", "incremental");
        assertThat(replay.manifests.get(1).resendFrom().asText()).isEqualTo("2026-01-01T01:21:00.000000Z");
        assertThat(replay.manifests.get(1).rows()).as("ids 81-130 but 100 again, then 100 and 500").isEqualTo(51);
        assertThat(replay.manifests.get(2).rows()).as("only what changed after the re-send").isEqualTo(1);
        assertThat(replay.manifests.get(0).resendFrom()).isNull();
        assertThat(new HashMap<>(replay.versions())).isEqualTo(db.versions("items"));
        assertThat(cli.run("verify", "items", "--deep").code()).isZero();
        assertThat(cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack").code()).isZero();
    }
}
