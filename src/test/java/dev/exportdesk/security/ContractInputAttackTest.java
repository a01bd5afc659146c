package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.cli.ExitCodes;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WideRows;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 7, through the CLI as a steward would use it: hostile contract documents (deep,
 * huge, ambiguous, over-long, escaping their sub-query, carrying terminal escapes) are refused with
 * exit 3 and a message that names the field and the limit, never a stack trace, and nothing is
 * stored, written to the source or printed raw.
 */
@Timeout(120)
class ContractInputAttackTest {
    private static final Map<String, String> ENV = Map.of("USER", "steward");

    @TempDir
    Path dir;
    SourceDb db;
    CliHarness cli;
    ObjectNode valid;

    @BeforeEach
    void setUp() throws Exception {
        db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 5);
        cli = new CliHarness(dir.resolve("ws"));
        valid = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private void assertRefusedCleanly(int code, String... mentions) {
        assertThat(code).as(cli.printed()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(cli.lastErr).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aDocumentNested100000LevelsDeepIsRefusedByTheDepthLimit() throws Exception {
        Path f = write("deep.json", "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()),
                "$", "nested deeper than the limit of 16 levels");
    }

    @Test
    void a50MegabyteDocumentIsRefusedBeforeItIsRead() throws Exception {
        Path f = dir.resolve("huge.json");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("{\"description\":\"".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(block);
            }
            out.write("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()),
                "huge.json", "the limit is 4000000");
        Path justOver = write("over.json", "{\"description\":\"" + "x".repeat(1_000_001) + "\"}");
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", justOver.toString()),
                "longer than the limit of 1000000 characters");
    }

    @Test
    void aDuplicateKeyIsRefusedNotSilentlyOverwritten() throws Exception {
        String json = valid.toString();
        Path f = write("dup.json", json.substring(0, json.length() - 1) + ",\"table\":\"secrets\"}");
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()),
                "Duplicate field 'table'");
    }

    @Test
    void fiftyThousandUnknownFieldsGiveABoundedMessage() throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++) {
            json.append("\"f").append(i).append("\":0,");
        }
        json.append("\"name\":\"x\"}");
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", write("wide.json", json.toString())
                .toString()), "$.f0: unknown field", "more");
        assertThat(cli.lastErr.length()).isLessThan(50_000);
    }

    @Test
    void dataAfterTheDocumentIsRefused() throws Exception {
        Path f = write("trailing.json", valid + "\n{\"table\":\"secrets\"}");
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()), "Trailing token");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM items) x, (SELECT CSVWRITE('MARKER', 'SELECT 1') c) y --",
        "SELECT * FROM items) x, (SELECT CSVWRITE('MARKER', 'SELECT 1') c) y /*",
        "SELECT * FROM items WHERE payload <> ')' ) x, (SELECT CSVWRITE('MARKER', 'SELECT 1') c) y --",
        "SELECT * FROM items) x, (SELECT CSVWRITE('MARKER', 'SELECT 1') c) y // ",
        "SELECT * FROM items) x, (SELECT CSVWRITE('MARKER', $$SELECT 1$$) c) y --",
        "SELECT * FROM items) x; CREATE TABLE pwned(id INT) --",
        "SELECT * FROM items WHERE payload = 'a\\' ) x, (SELECT CSVWRITE('MARKER', 'SELECT 1') c) y --'",
        "SELECT * FROM (SELECT * FROM items"})
    void aQueryThatEscapesItsSubQueryIsRefusedAndTheSourceIsUntouched(String query) throws Exception {
        Path marker = dir.resolve("marker.csv");
        ObjectNode c = valid.deepCopy();
        c.remove("table");
        c.put("query", query.replace("MARKER", marker.toString()));
        Set<String> tablesBefore = tables();
        Path f = write("escape.json", c.toString());

        assertRefusedCleanly(cli.run(ENV, "contract", "validate", f.toString()), "$.query");
        assertRefusedCleanly(cli.run(ENV, "contract", "import", f.toString()), "$.query");

        assertThat(marker).doesNotExist();
        assertThat(tables()).isEqualTo(tablesBefore);
        assertThat(cli.run(ENV, "contract", "list")).isZero();
        assertThat(cli.lastOut).contains("no contracts yet");
    }

    @Test
    void aWellFormedQueryWithCommentsStringsAndParenthesesIsAccepted() throws Exception {
        ObjectNode c = valid.deepCopy();
        c.remove("table");
        c.put("query", "SELECT * FROM items -- all of them\nWHERE (payload <> ')' OR payload IS NULL) /* ( */");
        Path f = write("ok.json", c.toString());
        assertThat(cli.run(ENV, "contract", "validate", f.toString())).as(cli.printed()).isZero();
    }

    @Test
    void importOfSeveralFilesStoresNothingWhenAnyFails() throws Exception {
        Path a = write("a.json", valid.toString());
        ObjectNode other = valid.deepCopy();
        other.put("name", "other-contract");
        Path b = write("b.json", other.toString().replace("\"partner\":\"acme\"", "\"partner\":\"acme\",\"partner\":\"x\""));
        int auditBefore = cli.audit().size();

        assertRefusedCleanly(cli.run(ENV, "contract", "import", a.toString(), b.toString()), "b.json",
                "Duplicate field 'partner'");

        assertThat(cli.audit()).hasSize(auditBefore);
        assertThat(cli.run(ENV, "contract", "list")).isZero();
        assertThat(cli.lastOut).contains("no contracts yet").doesNotContain("items-to-acme");

        Path fixed = write("b.json", other.toString());
        assertThat(cli.run(ENV, "contract", "import", a.toString(), fixed.toString())).as(cli.printed()).isZero();
        assertThat(cli.run(ENV, "contract", "list")).isZero();
        assertThat(cli.lastOut).contains("items-to-acme").contains("other-contract");
    }

    @Test
    void overLongValuesNameTheFieldAndTheLimit() throws Exception {
        ObjectNode c = valid.deepCopy();
        c.put("description", "d".repeat(10_000));
        c.put("name", "n".repeat(10_000));
        c.putArray("key_columns").add("k".repeat(10_000));
        Path f = write("long.json", c.toString());
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()),
                "$.description: is 10000 characters long; the limit is 4000",
                "$.name: is 10000 characters long; the limit is 64",
                "$.key_columns[0]: is 10000 characters long; the limit is 128");
        assertThat(cli.lastErr.length()).as("the message does not echo the values").isLessThan(2000);
    }

    @Test
    void aDescriptionCarryingTerminalEscapesIsRefusedAndNeverPrintedRaw() throws Exception {
        ObjectNode c = valid.deepCopy();
        c.put("description", "orders\u001b[2J\u001b]0;pwned\u0007 for \u202eemca\u202c \u2066x\u2069 \u009b31m");
        Path f = write("esc.json", c.toString());
        assertRefusedCleanly(cli.run(ENV, "contract", "import", f.toString()), "$.description", "U+001B");
        assertThat(cli.printed()).doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u202a-\u202e\u2066-\u2069]");
        assertThat(cli.run(ENV, "contract", "list")).isZero();
        assertThat(cli.lastOut).contains("no contracts yet");
    }

    @Test
    void s3OverPlainHttpNeedsTheContractToSaySo() throws Exception {
        ObjectNode c = valid.deepCopy();
        c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:9").put("bucket", "partner-drop")
                .put("access_key_id_secret", "k").put("secret_access_key_secret", "s");
        Path f = write("s3.json", c.toString());
        assertRefusedCleanly(cli.run(ENV, "contract", "validate", "--offline", f.toString()),
                "$.destination.endpoint", "allow_insecure_http");
        ((ObjectNode) c.get("destination")).put("allow_insecure_http", true);
        assertThat(cli.run(ENV, "contract", "validate", "--offline", write("s3.json", c.toString()).toString()))
                .as(cli.printed()).isZero();
    }

    private Set<String> tables() throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = db.connect(); ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
