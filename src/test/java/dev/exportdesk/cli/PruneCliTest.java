package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.RunResultAssert;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.SequentialItems;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.SteppedClock;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exportdesk prune}: the dry run names each file and hash the prune then removes, the newest
 * run is kept and said so, {@code status} tags the pruned run, {@code verify} of it is refused in
 * words (exit 3), and a bad {@code retention} is refused naming the field.
 */
class PruneCliTest {
    @TempDir
    Path dir;

    @Test
    void dryRunPruneStatusAndRefusals() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("drop"), 150);
        contract.putObject("retention").put("delivered", "30d");
        RunRecord first;
        // runs delivered 40 days ago, by an engine whose clock says so
        try (TestEngine t = TestEngine.open(dir.resolve("ws"), new SteppedClock(Instant.now().minus(Duration.ofDays(40))))) {
            t.importContract(contract.toString());
            first = RunResultAssert.completed(t.run("items")).run();
            db.exec("INSERT INTO items VALUES (151, 1, TIMESTAMP WITH TIME ZONE '2024-03-05 12:00:00+00')");
            RunResultAssert.completed(t.run("items"));
        }
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "olga"));

        CliRun.Result dry = cli.run("prune", "--dry-run");
        assertThat(dry.code()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("would prune items run 1 from items/run-000001")
                .contains("  " + first.manifestSha256() + "  manifest.json")
                .contains("kept items run 2: the newest completed run").contains("dry run: nothing changed");
        assertThat(dir.resolve("drop/items/run-000001/manifest.json")).exists();

        CliRun.Result prune = cli.run("prune", "items");
        assertThat(prune.code()).as(prune.all()).isZero();
        long listed = dry.out().lines().filter(l -> l.matches("  [0-9a-f]{64}  .*")).count();
        assertThat(prune.out()).contains("pruned items run 1 from items/run-000001: " + listed + " file(s) deleted");
        assertThat(dir.resolve("drop/items/run-000001")).doesNotExist();
        assertThat(cli.run("prune").out()).contains("nothing to prune");

        assertThat(cli.run("status").out()).containsPattern(first.id().substring(0, 8) + ".*items +1 +PRUNED");
        assertThat(cli.run("status", first.id()).out()).contains("pruned by retention (PRUNED");
        CliRun.Result verify = cli.run("verify", first.id());
        assertThat(verify.code()).as(verify.all()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(verify.err()).contains("retention pruned it").doesNotContain("Exception");
        assertThat(cli.run("verify", "items").code()).as("the contract's other runs still verify").isZero();

        contract.putObject("retention").put("delivered", "90 days");
        Path bad = Files.writeString(dir.resolve("bad.json"), contract.toString());
        CliRun.Result refused = cli.run("contract", "import", bad.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.all()).contains("$.retention.delivered");
        assertThat(cli.run("prune", "nosuch").code()).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
