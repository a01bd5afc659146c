package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3: CSV dialects end to end. The delivered files are read back with a parser written
 * here from the dialect's rules (not the product's reader) and compared with the source rows, NULL
 * against the empty string and the NULL spelling as text included; the operator's deep check and the
 * partner's check both read the same files.
 */
class CsvDialectCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The awkward values: every one must come back as itself. */
    private static Map<Long, String> values() {
        Map<Long, String> v = new LinkedHashMap<>();
        v.put(1L, null);
        v.put(2L, "");
        v.put(3L, "plain");
        v.put(4L, "semi;colon, and comma");
        v.put(5L, "say \"hi\"");
        v.put(6L, "two\nlines");
        v.put(7L, "crlf\r\ninside");
        v.put(8L, "ünïcödé ✓ 日本 \uD83D\uDE00");
        v.put(9L, "\\N");
        v.put(10L, "back\\slash'quote'");
        v.put(11L, " leading and trailing ");
        v.put(12L, "NULL");
        return v;
    }

    private SourceDb source() throws Exception {
        return source("h2");
    }

    private SourceDb source(String kind) throws Exception {
        SourceDb db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, txt VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, TIMESTAMP WITH TIME ZONE "
                     + "'2024-03-01 12:00:00+00')")) {
            for (Map.Entry<Long, String> e : values().entrySet()) {
                ps.setLong(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.executeUpdate();
            }
        }
        return db;
    }

    @Test
    void aStatisticsOfficeDialectRoundTrips() throws Exception {
        // no header, ';', CRLF, NULL as an empty field
        roundTrip(JSON.createObjectNode().put("delimiter", ";").put("header", false).put("line_ending", "crlf"),
                ';', '"', '"', false, "\r\n", "");
    }

    @Test
    void aDialectWithItsOwnEscapeAndNullSpellingRoundTrips() throws Exception {
        roundTrip(JSON.createObjectNode().put("delimiter", "\t").put("quote", "'").put("escape", "\\")
                .put("line_ending", "lf").put("null", "\\N"), '\t', '\'', '\\', true, "\n", "\\N");
    }

    /**
     * From PostgreSQL the COPY reader marks text it found plain, and integers and such text skip the
     * CSV encoder's general path: the same awkward values must come back as themselves, in a dialect
     * whose delimiter is a character plain text may hold and whose NULL spelling is plain text too.
     */
    @Test
    void dialectsRoundTripFromPostgresqlWhereTheEncoderTakesItsShortcuts() throws Exception {
        roundTrip("postgresql", JSON.createObjectNode().put("delimiter", ";").put("header", false)
                .put("line_ending", "crlf").put("null", "NULL"), ';', '"', '"', false, "\r\n", "NULL");
    }

    private void roundTrip(ObjectNode csv, char delimiter, char quote, char escape, boolean header, String eol,
                           String nullText) throws Exception {
        roundTrip("h2", csv, delimiter, quote, escape, header, eol, nullText);
    }

    private void roundTrip(String kind, ObjectNode csv, char delimiter, char quote, char escape, boolean header,
                           String eol, String nullText) throws Exception {
        SourceDb db = source(kind);
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("stats", db, "items", drop);
        contract.put("format", "csv").put("compression", "none");
        contract.set("csv", csv);
        Files.writeString(dir.resolve("c.json"), contract.toString());
        CliRun.Result imported = cli.run("contract", "import", dir.resolve("c.json").toString());
        assertThat(imported.code()).as(imported.all()).isZero();
        CliRun.Result run = cli.run("run", "stats", "-q");
        assertThat(run.code()).as(run.all()).isZero();

        Path folder = drop.resolve("stats/run-000001");
        JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
        assertThat(manifest.path("csv").path("delimiter").asText()).isEqualTo(String.valueOf(delimiter));
        assertThat(manifest.path("csv").path("header").asBoolean()).isEqualTo(header);
        Map<Long, String> delivered = new LinkedHashMap<>();
        try (Stream<Path> chunks = Files.list(folder)) {
            for (Path chunk : chunks.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                String text = Files.readString(chunk, StandardCharsets.UTF_8);
                List<List<String>> records = parse(text, delimiter, quote, escape, eol, nullText);
                if (header) {
                    assertThat(records.get(0)).containsExactly("ID", "TXT", "UPDATED_AT", "_op");
                    records = records.subList(1, records.size());
                }
                for (List<String> r : records) {
                    assertThat(r).as("id, txt, updated_at, _op").hasSize(4);
                    assertThat(r.get(3)).isEqualTo("upsert");
                    delivered.put(Long.parseLong(r.get(0)), r.get(1));
                }
            }
        }
        assertThat(delivered).as("every value as in the source, NULL apart from text").isEqualTo(values());

        CliRun.Result deep = cli.run("verify", "stats", "--deep");
        assertThat(deep.code()).as(deep.all()).isZero();
        assertThat(deep.out()).contains("(source): match");
        CliRun.Result partner = cli.run("verify-delivery", folder.toString(), "--no-ack");
        assertThat(partner.code()).as(partner.all()).isZero();

        // positive control for the deep check: a changed source row is caught through the same dialect
        db.exec("UPDATE items SET txt = 'changed' WHERE id = 7");
        CliRun.Result drift = cli.run("verify", "stats", "--deep");
        assertThat(drift.code()).as(drift.all()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(drift.out()).contains("changed  key [7]");
    }

    /**
     * Records as the dialect's rules define them, read over the whole file: an unquoted field equal to
     * the NULL spelling is null; a quoted one is text. A line break outside quotes other than the
     * dialect's line ending fails, so the line ending is checked too.
     */
    private static List<List<String>> parse(String text, char d, char q, char esc, String eol, String nullText) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean atRecordStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            atRecordStart = false;
            if (quoted) {
                if (esc != q && c == esc) {
                    sb.append(text.charAt(++i));
                } else if (c == q && esc == q && i + 1 < text.length() && text.charAt(i + 1) == q) {
                    sb.append(q);
                    i++;
                } else if (c == q) {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == q) {
                assertThat(sb.length()).as("a quote opens a field only at its start").isZero();
                quoted = true;
                wasQuoted = true;
            } else if (c == d || text.startsWith(eol, i)) {
                fields.add(!wasQuoted && sb.toString().equals(nullText) ? null : sb.toString());
                sb.setLength(0);
                wasQuoted = false;
                if (c != d) {
                    records.add(fields);
                    fields = new ArrayList<>();
                    i += eol.length() - 1;
                    atRecordStart = true;
                }
            } else {
                assertThat(c).as("a line break outside quotes that is not the line ending, at " + i)
                        .isNotIn('\r', '\n');
                sb.append(c);
            }
        }
        assertThat(atRecordStart && !quoted).as("the file ends with a complete record").isTrue();
        return records;
    }

    @Test
    void theDefaultDialectKeepsTodaysBytes() throws Exception {
        SourceDb db = source();
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        ObjectNode contract = Contracts.base("plain", db, "items", dir.resolve("drop"));
        contract.put("format", "csv").put("compression", "none");
        Files.writeString(dir.resolve("c.json"), contract.toString());
        assertThat(cli.run("contract", "import", dir.resolve("c.json").toString()).code()).isZero();
        assertThat(cli.run("run", "plain", "-q").code()).isZero();
        Path folder = dir.resolve("drop/plain/run-000001");
        JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
        assertThat(manifest.has("csv")).as("no dialect recorded for the default").isFalse();
        assertThat(manifest.has("run_directory")).as("no folder recorded for the default layout").isFalse();
        String text = Files.readString(folder.resolve("chunk-000001.csv"));
        assertThat(text).startsWith("ID,TXT,UPDATED_AT,_op\r\n");
        String at = ",2024-03-01T12:00:00.000000Z,upsert";
        assertThat(Arrays.asList(text.split("\r\n", -1))).contains("1," + at, "2,\"\"" + at,
                "5,\"say \"\"hi\"\"\"" + at, "12,NULL" + at);
        assertThat(cli.run("contract", "export", "plain").out()).doesNotContain("\"csv\" :")
                .doesNotContain("path_template");
    }
}
