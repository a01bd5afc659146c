package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contract pause} / {@code contract enable} end to end on a real workspace: a paused
 * contract is not started by {@code run --due} (its unfinished run neither) while {@code run
 * CONTRACT} still runs it; both are audited with the actor; {@code status} says who paused it,
 * when and why; bad input exits 3 and changes nothing; a cron schedule's next start is shown.
 */
class ScheduleControlCliTest {
    @TempDir
    Path dir;
    private CliRun cli;

    private void importScheduled(String name, ObjectNode schedule) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "MERGE INTO orders KEY (id) SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 1500)");
        ObjectNode contract = Contracts.base(name, db, "orders", dir.resolve("drop"));
        contract.set("schedule", schedule);
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, contract.toString());
        cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
    }

    private List<AuditEntry> audit() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            return ws.store().inTransaction(c -> ws.store().audit().recent(c, 1000));
        }
    }

    private List<RunRecord> runs(String contract) {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            return ws.store().inTransaction(c -> ws.store().runs().recent(c, 100)).stream()
                    .filter(r -> r.contractName().equals(contract)).toList();
        }
    }

    @Test
    void aPausedContractIsNotStartedByRunDueButRunsWhenAskedAndBothChangesAreAudited() throws Exception {
        importScheduled("hourly", new ObjectMapper().createObjectNode().put("interval", "1h"));

        CliRun.Result paused = cli.run("contract", "pause", "hourly", "--reason", "partner maintenance until Monday");
        assertThat(paused.code()).as(paused.all()).isZero();
        assertThat(paused.out()).startsWith("hourly paused by paula@cli at ").contains("— partner maintenance until Monday");

        CliRun.Result due = cli.run("run", "--due");
        assertThat(due.code()).as(due.all()).isZero();
        assertThat(due.out()).contains("nothing is due");
        assertThat(runs("hourly")).as("due since its import, and paused: not started").isEmpty();

        CliRun.Result status = cli.run("status");
        assertThat(status.out()).contains("schedule hourly: PAUSED by paula@cli at ")
                .contains("— partner maintenance until Monday; every 1h (not started by run --due until `contract "
                        + "enable`; `run hourly` still runs it)");
        JsonNode json = new ObjectMapper().readTree(cli.run("status", "--json").out()).get("contracts").get(0);
        assertThat(json.get("paused").asBoolean()).isTrue();
        assertThat(json.get("paused_by").asText()).isEqualTo("paula@cli");
        assertThat(json.get("pause_reason").asText()).isEqualTo("partner maintenance until Monday");
        assertThat(json.get("schedule").asText()).isEqualTo("every 1h");

        CliRun.Result manual = cli.run("run", "hourly", "-q");
        assertThat(manual.code()).as("a person's run is not the schedule's: " + manual.all()).isZero();
        assertThat(runs("hourly")).singleElement().satisfies(r -> assertThat(r.state().name()).isEqualTo("COMPLETED"));

        CliRun.Result enabled = cli.run("contract", "enable", "hourly");
        assertThat(enabled.code()).as(enabled.all()).isZero();
        assertThat(enabled.out()).startsWith("hourly enabled by paula@cli at ");
        assertThat(cli.run("status").out()).contains("schedule hourly: every 1h, next ").doesNotContain("PAUSED");

        assertThat(audit()).filteredOn(e -> e.action().startsWith("contract.pause") || e.action().equals("contract.enable"))
                .extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::subject, AuditEntry::before, AuditEntry::after)
                .containsExactly( // newest first
                        org.assertj.core.groups.Tuple.tuple("contract.enable", "paula@cli", "hourly",
                                "PAUSED: partner maintenance until Monday", "ENABLED"),
                        org.assertj.core.groups.Tuple.tuple("contract.pause", "paula@cli", "hourly", "ENABLED",
                                "PAUSED: partner maintenance until Monday"));
    }

    @Test
    void anUnfinishedRunOfAPausedContractWaitsForAPersonToo() throws Exception {
        importScheduled("hourly", new ObjectMapper().createObjectNode().put("interval", "1h"));
        assertThat(cli.run("run", "hourly", "-q").code()).isZero();
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            // the engine's own record of a failed attempt (as RunAttempts.fail writes it): resumable, so due
            RunRecord run = ws.store().inTransaction(c -> ws.store().runs().recent(c, 1)).get(0);
            ws.store().updateDurably(c -> ws.store().runs().updateState(c, run.id(),
                    dev.exportdesk.store.RunState.FAILED, "source: connection refused", Instant.now()));
        }
        assertThat(cli.run("contract", "pause", "hourly").code()).isZero();
        assertThat(cli.run("run", "--due").out()).contains("nothing is due");
        assertThat(runs("hourly")).singleElement().satisfies(r -> assertThat(r.state().name()).isEqualTo("FAILED"));
        assertThat(cli.run("contract", "enable", "hourly").code()).isZero();
        CliRun.Result due = cli.run("run", "--due", "-q");
        assertThat(due.code()).as(due.all()).isZero();
        assertThat(runs("hourly")).singleElement().satisfies(r -> assertThat(r.state().name()).isEqualTo("COMPLETED"));
    }

    @Test
    void badInputExitsThreeAndChangesNothing() throws Exception {
        importScheduled("hourly", new ObjectMapper().createObjectNode().put("interval", "1h"));
        int auditBefore = audit().size();

        CliRun.Result unknown = cli.run("contract", "pause", "no-such-contract");
        assertThat(unknown.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("no contract named \"no-such-contract\"");

        CliRun.Result tooLong = cli.run("contract", "pause", "hourly", "--reason", "x".repeat(501));
        assertThat(tooLong.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(tooLong.err()).contains("the reason is 501 characters long; the limit is 500");
        assertThat(cli.run("contract", "pause").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(audit()).as("nothing recorded").hasSize(auditBefore);
        assertThat(cli.run("status").out()).doesNotContain("PAUSED");

        // a reason is a person's text: escape sequences and bidi overrides never reach a terminal
        assertThat(cli.run("contract", "pause", "hourly", "--reason", "ok\u001b[2J\u202egone").code()).isZero();
        String shown = cli.run("status", "--json").out();
        assertThat(new ObjectMapper().readTree(shown).get("contracts").get(0).get("pause_reason").asText())
                .isEqualTo("ok\uFFFD[2J\uFFFDgone");
    }

    @Test
    void aCronScheduleShowsItsNextStartInItsZone() throws Exception {
        importScheduled("nightly", new ObjectMapper().createObjectNode().put("cron", "0 3 * * *")
                .put("zone", "Europe/Berlin"));
        JsonNode json = new ObjectMapper().readTree(cli.run("status", "--json").out()).get("contracts").get(0);
        assertThat(json.get("schedule").asText()).endsWith("(0 3 * * *, Europe/Berlin)");
        ZonedDateTime next = Instant.parse(json.get("next_start").asText()).atZone(ZoneId.of("Europe/Berlin"));
        assertThat(next.getHour()).isEqualTo(3);
        assertThat(next.getMinute()).isZero();
        assertThat(next.toInstant()).isAfter(Instant.now()).isBefore(Instant.now().plus(java.time.Duration.ofHours(25)));
        assertThat(cli.run("run", "--due").out()).as("not before its first cron time").contains("nothing is due");
    }
}
