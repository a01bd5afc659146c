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
}
