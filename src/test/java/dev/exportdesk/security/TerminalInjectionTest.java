package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 7: text a partner or a source controls reaches the sender's terminal, logs and
 * reports only disarmed. A receipt whose fields carry ANSI escapes (clear screen, set the window
 * title) and bidi overrides, and source keys carrying the same, are shown by {@code ack},
 * {@code status}, {@code verify --deep} and the CSV/JSON reports without a single control or bidi
 * character, and the workspace log holds none either.
 */
@Timeout(120)
class TerminalInjectionTest {
    /** Anything a terminal would obey, apart from tab and line breaks. */
    static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\u202a-\u202e\u2066-\u2069]");
    static final String HOSTILE = "\u001b[2J\u001b]0;owned\u0007\u202eevil\u202c\u009b31m";
    private static final Map<String, String> ENV = Map.of("USER", "operator");

    @TempDir
    Path dir;

    private static void assertClean(String where, String text) {
        assertThat(CONTROL.matcher(text).find()).as("%s holds a control character: %s", where, text).isFalse();
    }

    private void assertLogsClean() throws Exception {
        try (Stream<Path> logs = Files.walk(dir.resolve("ws/logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertClean(log.toString(), Files.readString(log, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aHostileReceiptIsShownDisarmed() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, payload VARCHAR(100), updated_at TIMESTAMP WITH TIME ZONE "
                + "NOT NULL)", "INSERT INTO items VALUES (1, 'a', TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00')");
        ObjectNode c = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
        ((ObjectNode) c.get("destination")).put("ack_deadline", "1h");
        Files.writeString(dir.resolve("c.json"), c.toString());
        CliHarness cli = new CliHarness(dir.resolve("ws"));
        assertThat(cli.run(ENV, "contract", "import", dir.resolve("c.json").toString())).as(cli.printed()).isZero();
        assertThat(cli.run(ENV, "run", "items-to-acme")).as(cli.printed()).isZero();
        Path runDir = dir.resolve("drop/items-to-acme/run-000001");
        String runId = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile()).path("run_id").asText();

        ObjectNode receipt = new ObjectMapper().createObjectNode().put("format", "exportdesk-ack/1")
                .put("run_id", HOSTILE).put("manifest_sha256", HOSTILE);
        receipt.putArray("chunks").addObject().put("file", HOSTILE).put("sha256", HOSTILE);
        Files.writeString(runDir.resolve("manifest.json.ack"), receipt.toString());

        cli.run(ENV, "ack", runId);
        assertThat(cli.lastOut + cli.lastErr).contains("receipt is for run").contains("owned");
        cli.run(ENV, "status", "items-to-acme");
        cli.run(ENV, "status", "--json", "items-to-acme");
        assertClean("CLI output", cli.printed());
        assertLogsClean();
    }

    @Test
    void sourceKeysCarryingEscapesAreShownDisarmedInVerifyAndReports() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id VARCHAR(100) PRIMARY KEY, payload VARCHAR(100), updated_at TIMESTAMP WITH "
                + "TIME ZONE NOT NULL)", "INSERT INTO items VALUES ('=1+2" + HOSTILE.replace("'", "''") + "', 'a', "
                + "TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00')");
        Files.writeString(dir.resolve("c.json"), Contracts.base("items-to-acme", db, "items", dir.resolve("drop"))
                .toString());
        CliHarness cli = new CliHarness(dir.resolve("ws"));
        assertThat(cli.run(ENV, "contract", "import", dir.resolve("c.json").toString())).as(cli.printed()).isZero();
        assertThat(cli.run(ENV, "run", "items-to-acme")).as(cli.printed()).isZero();
        db.exec("UPDATE items SET payload = 'changed behind the cursor'");

        cli.run(ENV, "verify", "--deep", "items-to-acme");
        assertThat(cli.lastOut).as(cli.printed()).contains("key").contains("owned");
        Path csv = dir.resolve("report.csv");
        Path json = dir.resolve("report.json");
        assertThat(cli.run(ENV, "report", "--run", "items-to-acme", "--format", "csv", "--out", csv.toString()))
                .as(cli.printed()).isZero();
        assertThat(cli.run(ENV, "report", "--run", "items-to-acme", "--format", "json", "--out", json.toString()))
                .as(cli.printed()).isZero();

        assertClean("CLI output", cli.printed());
        String csvText = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(csvText).contains("owned");
        assertClean("CSV report", csvText.replace("\r\n", "\n"));
        byte[] jsonBytes = Files.readAllBytes(json);
        for (byte b : jsonBytes) {
            assertThat(b).as("JSON report is ASCII with escapes").isBetween((byte) 0x09, (byte) 0x7e);
        }
        String key = new ObjectMapper().readTree(jsonBytes).path("differing_keys").get(0).path("key").asText();
        assertThat(new ObjectMapper().readTree(key).get(0).asText()).as("values kept exactly").isEqualTo("=1+2" + HOSTILE);
        assertLogsClean();
        assertThat(List.of(csvText.split("\r\n"))).noneMatch(line -> line.contains(",=1+2"));
    }
}
