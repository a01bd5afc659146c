package dev.exportdesk.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrections in team mode (issue 13, item 5): a change no increment carries (the cursor untouched),
 * found by a deep verification, is shipped by a worker when asked with {@code request correct}, as a
 * correction run under a lease; asked again, there is nothing left and the request says so; a
 * correction of an unknown contract is refused in words and records nothing. A re-send
 * ({@code resync --from}) is planned in the shared store and run by a worker too.
 */
class WorkerCorrectionTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aWorkerShipsTheCorrectionAskedFor() throws Exception {
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, 2_000);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500);
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            TeamWorkers.Worker w = team.start("w", "30s");
            assertThat(team.cli("run.log", 120, "request", "run", "items", "--wait", "90s"))
                    .as(team.log("run.log") + w.output()).isZero();

            // a change the cursor does not show: only a deep verification finds it
            db.exec("UPDATE items SET payload = 'changed behind the cursor' WHERE id = 777");
            assertThat(team.cli("verify.log", 120, "verify", "items", "--deep")).as(team.log("verify.log"))
                    .isNotZero();
            assertThat(team.log("verify.log")).contains("drift");

            assertThat(team.cli("correct.log", 120, "request", "correct", "items", "--wait", "90s"))
                    .as(team.log("correct.log") + w.output()).isZero();
            assertThat(team.log("correct.log")).contains("correct").contains("DONE");
            assertThat(value(team, "SELECT mode || ' ' || state FROM runs WHERE sequence = 2"))
                    .isEqualTo("correction COMPLETED");
            assertThat(value(team, "SELECT how FROM lease_history l JOIN runs r ON r.id = l.run_id WHERE "
                    + "r.sequence = 2")).isEqualTo("REQUEST");
            Replay replay = Replay.of(drop.resolve("items"), "id");
            assertThat(replay.manifests).hasSize(2);
            assertThat(replay.table.get("777").get("payload").asText()).isEqualTo("changed behind the cursor");
            assertThat(replay.manifests.get(1).rows()).isEqualTo(1);

            assertThat(team.cli("again.log", 120, "request", "correct", "items", "--wait", "60s"))
                    .as(team.log("again.log")).isZero();
            assertThat(team.log("again.log")).contains("nothing to correct");
            assertThat(value(team, "SELECT count(*) FROM runs")).isEqualTo("2");

            String requests = value(team, "SELECT count(*) FROM run_requests");
            assertThat(team.cli("unknown.log", 120, "request", "correct", "nosuch")).isNotZero();
            assertThat(team.log("unknown.log")).contains("nosuch").doesNotContain("\tat ");
            assertThat(value(team, "SELECT count(*) FROM run_requests")).isEqualTo(requests);

            // a partner lost what arrived after id 1500's time: resync --from plans the re-send in the shared
            // store, a worker runs it when asked
            String from;
            try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM items "
                            + "WHERE id = 1500")) {
                rs.next();
                from = rs.getString(1);
            }
            assertThat(team.cli("resync.log", 120, "resync", "items", "--from", from)).as(team.log("resync.log"))
                    .isZero();
            assertThat(team.log("resync.log")).contains("(501 row(s) at the source now)", "exportdesk request run items");
            assertThat(team.cli("resend.log", 120, "request", "run", "items", "--wait", "90s"))
                    .as(team.log("resend.log") + w.output()).isZero();
            assertThat(value(team, "SELECT mode || ' ' || state FROM runs WHERE sequence = 3")).isEqualTo("resend COMPLETED");
            Replay after = Replay.of(drop.resolve("items"), "id");
            assertThat(after.manifests).extracting(m -> m.mode()).containsExactly("incremental", "correction", "resend");
            assertThat(after.manifests.get(2).rows()).as("ids 1500-2000 again").isEqualTo(501);
            assertThat(after.versions()).isEqualTo(db.versions("items"));
        }
    }

    private static String value(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
