package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exportdesk logs RUN}: the run's own log, every attempt, on stdout; an escape sequence the
 * source put in a column name (quoted by the schema-drift message) never reaches the terminal raw, nor
 * one written into the file by hand; an unknown run is a clear error with exit code 3.
 */
@Timeout(120)
class LogsCliTest {
    private static final String ESC = "\u001b";

    @TempDir
    Path dir;

    @Test
    void printsEachAttemptOfARunWithControlCharactersNeutralised() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 20)");
        ObjectNode contract = Contracts.base("t", db, "t", dir.resolve("drop"));
        Files.writeString(dir.resolve("t.json"), contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"));
        assertThat(cli.run("contract", "import", dir.resolve("t.json").toString()).code()).isZero();
        assertThat(cli.run("run", "t", "-q").code()).isZero();
        // the source's owner names a column with an escape sequence that would clear the screen
        db.exec("ALTER TABLE t ADD COLUMN \"evil" + ESC + "[2J" + ESC + "]0;owned" + "\u0007\" INT");
        CliRun.Result drift = cli.run("run", "t", "-q");
        assertThat(drift.code()).isEqualTo(ExitCodes.SCHEMA_DRIFT);

        Path runs = dir.resolve("ws/logs/runs");
        Path driftLog;
        try (Stream<Path> files = Files.list(runs)) {
            driftLog = files.filter(p -> readString(p).contains("SCHEMA_DRIFT")).findFirst().orElseThrow();
        }
        String runId = driftLog.getFileName().toString().replace(".log", "");
        assertThat(drift.err()).as("the failed run points to its log")
                .contains("every attempt and the causes: exportdesk logs " + runId.substring(0, 8));
        assertThat(Files.readString(driftLog)).as("the file itself holds no raw control character")
                .contains("evil\uFFFD[2J").doesNotContain(ESC).doesNotContain("\u0007");

        // someone edits the log by hand: the command still prints no raw escape
        Files.writeString(driftLog, "planted " + ESC + "[31mred" + ESC + "[0m\r\n", StandardOpenOption.APPEND);

        CliRun.Result shown = cli.run("logs", runId.substring(0, 8));
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("attempt 1 of run " + runId + " (t #2, incremental, contract v1) started by")
                .contains("schema drift").contains("attempt 1 ended: SCHEMA_DRIFT").contains("planted \uFFFD[31mred")
                .doesNotContain(ESC).doesNotContain("\u0007");
        assertThat(shown.out().chars().filter(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r')).isEmpty();

        CliRun.Result latest = cli.run("logs", "t");
        assertThat(latest.code()).isZero();
        assertThat(latest.out()).contains("attempt 1 of run " + runId);
    }

    @Test
    void anUnknownRunIsAClearErrorWithExitCode3() throws Exception {
        CliRun cli = new CliRun(dir.resolve("ws"));
        CliRun.Result r = cli.run("logs", "no-such-run");
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("no run with id \"no-such-run\"").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(new String(r.err().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).hasLineCount(1);
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
