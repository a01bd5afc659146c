package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Soft deletes a run delivered ({@code _op: delete}) count as carried in {@code verify --deep}, and
 * {@code correct} never ships them again; a row that really drifted is still found and corrected
 * once. Through the CLI, on H2 and PostgreSQL sources; the lookback is 0 s, so nothing is left to
 * "the next increment" and only what later runs delivered can carry a difference.
 */
@Timeout(180)
class SoftDeleteCarriedCliTest {
    @TempDir
    Path dir;

    private CliRun.Result cli(String... args) {
        return new CliRun(dir.resolve("ws")).run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void deliveredSoftDeletesAreCarriedAndNeverReShipped(String kind) throws Exception {
        SourceDb db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)",
                "INSERT INTO items (id, name, updated_at) SELECT g, 'item ' || g, "
                        + "TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' FROM "
                        + (kind.equals("h2") ? "SYSTEM_RANGE(1, 500) t(g)" : "generate_series(1, 500) g"));
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
        contract.put("soft_delete_column", "deleted_at");
        Path file = dir.resolve("contract.json");
        Files.writeString(file, contract.toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();
        assertThat(cli("run", "items-to-acme").code()).isZero();

        // an application that soft-deletes properly moves the cursor: run #2 ships the deletes
        db.exec("UPDATE items SET deleted_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00', "
                + "updated_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00' WHERE id IN (10, 11)");
        CliRun.Result second = cli("run", "items-to-acme");
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("2 rows");
        assertThat(Files.readString(dir.resolve("drop/items-to-acme/run-000002/manifest.json")))
                .contains("\"deletes\" : 2");

        CliRun.Result carried = cli("verify", "items-to-acme", "--deep");
        assertThat(carried.code()).as(carried.out() + carried.err()).isZero();
        assertThat(carried.out()).contains("changed  key [10] (carried by run #2)",
                "changed  key [11] (carried by run #2)");
        assertThat(cli("correct", "items-to-acme").out()).startsWith("nothing to correct");

        // a purge job later removes a soft-deleted row for good: the partner already has it deleted
        db.exec("DELETE FROM items WHERE id = 11");
        CliRun.Result purged = cli("verify", "items-to-acme", "--deep");
        assertThat(purged.code()).as(purged.out() + purged.err()).isZero();
        assertThat(purged.out()).contains("missing  key [11] (carried by run #2)")
                .doesNotContain("missing  key [11]\n")
                .contains("1 shipped delete(s) of keys the source no longer has");
        assertThat(cli("correct", "items-to-acme").out()).startsWith("nothing to correct");

        // one that does not (cursor unchanged), and a row that really drifted: found, corrected once
        db.exec("UPDATE items SET deleted_at = TIMESTAMP WITH TIME ZONE '2024-03-03 00:00:00+00' WHERE id = 20",
                "UPDATE items SET name = 'silently changed' WHERE id = 7");
        CliRun.Result drift = cli("verify", "items-to-acme", "--deep");
        assertThat(drift.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(drift.out()).contains("changed  key [7]\n", "changed  key [20]\n",
                "changed  key [10] (carried by run #2)");

        CliRun.Result correct = cli("correct", "items-to-acme", "-q");
        assertThat(correct.code()).as(correct.out() + correct.err()).isZero();
        assertThat(correct.out()).contains("items-to-acme run #3", "completed: 2 rows in 1 chunk(s)");
        CliRun.Result corrected = cli("verify", "items-to-acme", "--deep");
        assertThat(corrected.code()).as(corrected.out() + corrected.err()).isZero();
        assertThat(corrected.out()).contains("changed  key [7] (carried by run #3)",
                "changed  key [20] (carried by run #3)", "changed  key [10] (carried by run #2)");
        CliRun.Result again = cli("correct", "items-to-acme");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).as("the correction's own delete is not drift either").startsWith("nothing to correct");
        assertThat(dir.resolve("drop/items-to-acme/run-000004")).doesNotExist();
    }
}
