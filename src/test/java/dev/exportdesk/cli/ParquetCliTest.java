package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 4: a Parquet export of a PostgreSQL table read back by DuckDB, a reader that shares
 * nothing with our writer: exactly the source's rows, NULLs, unicode, decimals and timestamps
 * included, each column in its mapped type; the same rows give the same bytes; the operator's deep
 * check and the partner's check pass and a changed source row is caught.
 */
class ParquetCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** born and local_at are compared as text, each side printing its own type ("1969-12-31 23:59:59.999999"). */
    private static final String COLUMNS = "id, name, amount, price, flag, payload, deleted, updated_at";

    @TempDir
    Path dir;

    private static SourceDb source() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT, amount NUMERIC(14,2), price DOUBLE PRECISION,"
                        + " flag BOOLEAN, born DATE, local_at TIMESTAMP, payload BYTEA,"
                        + " deleted BOOLEAN NOT NULL DEFAULT false, updated_at TIMESTAMPTZ NOT NULL)",
                "INSERT INTO items VALUES"
                        + " (1, 'ünïcödé ✓ 日本 \uD83D\uDE00', 12.50, 0.1, true, '2024-02-29', '2024-03-01 12:34:56.123456',"
                        + "  '\\x00ff7f', false, '2024-03-01 10:00:00.000001+00'),"
                        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, '2024-03-01 10:00:02+00'),"
                        + " (3, '', -0.01, -1e300, false, '1969-12-31', '1969-12-31 23:59:59.999999', '\\x',"
                        + "  false, '2024-03-01 10:00:03.5+00'),"
                        + " (4, 'say \"hi\"\n\ttab', 999999999999.99, 'NaN', true, '0001-01-01', '2000-01-01 00:00:00',"
                        + "  NULL, false, '2024-03-01 10:00:04+00'),"
                        + " (5, 'gone', 1.00, 2.5, NULL, '2024-01-01', NULL, NULL, true, '2024-03-01 10:00:05+00'),"
                        + " (6, 'six', 0.00, 'Infinity', true, '2099-12-31', '2099-12-31 23:59:59', '\\xdeadbeef', false,"
                        + "  '2024-03-01 10:00:06+00'),"
                        + " (7, 'seven', 7.07, 7, false, '2007-07-07', '2007-07-07 07:07:07.070707', NULL, false,"
                        + "  '2024-03-01 10:00:07+00')");
        return db;
    }

    private static ObjectNode contract(String name, SourceDb db, Path drop) {
        ObjectNode c = Contracts.base(name, db, "items", drop);
        c.put("format", "parquet").put("compression", "zstd").put("soft_delete_column", "deleted");
        ObjectNode parquet = c.putObject("parquet").put("row_group_rows", 3);
        // numeric(14,2) as Parquet DECIMAL(14,2); without this it is exact text
        parquet.putObject("decimals").putObject("amount").put("precision", 14).put("scale", 2);
        return c;
    }

    /** The same contract typing {@code column} as DECIMAL(precision, scale). */
    private static ObjectNode typed(SourceDb db, Path drop, String column, int precision, int scale) {
        ObjectNode c = contract("bad-decimal", db, drop);
        ObjectNode decimals = ((ObjectNode) c.get("parquet")).putObject("decimals");
        decimals.putObject(column).put("precision", precision).put("scale", scale);
        return c;
    }

    @Test
    void duckDbReadsExactlyTheSourceRowsAndTheSameRowsGiveTheSameBytes() throws Exception {
        SourceDb db = source();
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        Path drop = dir.resolve("drop");
        for (String name : List.of("items", "again")) {
            Path file = Files.writeString(dir.resolve(name + ".json"), contract(name, db, drop).toString());
            CliRun.Result imported = cli.run("contract", "import", file.toString());
            assertThat(imported.code()).as(imported.all()).isZero();
            CliRun.Result run = cli.run("run", name, "-q");
            assertThat(run.code()).as(run.all()).isZero();
        }
        Path folder = drop.resolve("items/run-000001");
        JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
        assertThat(manifest.path("file_format").asText()).isEqualTo("parquet");
        assertThat(manifest.path("chunks").get(0).path("file").asText()).isEqualTo("chunk-000001.parquet");

        Map<Long, List<Object>> expected = new LinkedHashMap<>();
        try (Connection pg = db.connect(); Statement st = pg.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + COLUMNS.replace("updated_at",
                     "(extract(epoch FROM updated_at) * 1000000)::bigint") + ", born::text AS born_text, local_at::text AS local_text,"
                     + " CASE WHEN deleted THEN 'delete' ELSE 'upsert' END FROM items ORDER BY id")) {
            while (rs.next()) {
                expected.put(rs.getLong(1), row(rs));
            }
        }
        Map<Long, List<Object>> delivered = new LinkedHashMap<>();
        String files = folder.resolve("*.parquet").toString();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT " + COLUMNS.replace("updated_at", "epoch_us(updated_at)")
                    + ", born::VARCHAR AS born_text, local_at::VARCHAR AS local_text, _op FROM read_parquet('" + files + "') ORDER BY id")) {
                while (rs.next()) {
                    delivered.put(rs.getLong(1), row(rs));
                }
            }
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + files + "')")) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
            assertThat(types).containsExactly(Map.entry("id", "BIGINT"), Map.entry("name", "VARCHAR"),
                    Map.entry("amount", "DECIMAL(14,2)"), Map.entry("price", "DOUBLE"), Map.entry("flag", "BOOLEAN"),
                    Map.entry("born", "DATE"), Map.entry("local_at", "TIMESTAMP"), Map.entry("payload", "BLOB"),
                    Map.entry("deleted", "BOOLEAN"), Map.entry("updated_at", "TIMESTAMP WITH TIME ZONE"),
                    Map.entry("_op", "VARCHAR"));
            try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('"
                    + files + "')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("7 rows in row groups of 3").isEqualTo(3);
            }
        }
        assertThat(delivered).as("rows lost, duplicated or changed").isEqualTo(expected);

        // a decimal type the source column does not promise is refused at import, naming the field
        Map<ObjectNode, String> badTypes = Map.of(
                typed(db, drop, "price", 10, 2), "$.parquet.decimals.price: column \"price\" has type float8, not a decimal",
                typed(db, drop, "amount", 14, 3), "$.parquet.decimals.amount: the source column's scale is 2, not 3",
                typed(db, drop, "amount", 13, 2), "whose values do not all fit DECIMAL(13,2)",
                typed(db, drop, "nosuch", 5, 0), "$.parquet.decimals.nosuch: column \"nosuch\" does not exist");
        for (Map.Entry<ObjectNode, String> bad : badTypes.entrySet()) {
            Path file = Files.writeString(dir.resolve("bad-decimal.json"), bad.getKey().toString());
            CliRun.Result refused = cli.run("contract", "import", file.toString());
            assertThat(refused.code()).as(refused.all()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(refused.err()).contains(bad.getValue()).doesNotContain("Exception");
        }
        assertThat(cli.run("contract", "list").out()).doesNotContain("bad-decimal");
        assertThat(delivered.get(5L).get(delivered.get(5L).size() - 1)).isEqualTo("delete");

        // the same rows, exported by another contract: byte for byte the same files
        List<Path> first = chunks(folder);
        List<Path> second = chunks(drop.resolve("again/run-000001"));
        assertThat(second).hasSameSizeAs(first).isNotEmpty();
        for (int i = 0; i < first.size(); i++) {
            assertThat(Files.readAllBytes(second.get(i))).as(second.get(i).toString())
                    .isEqualTo(Files.readAllBytes(first.get(i)));
        }

        CliRun.Result partner = cli.run("verify-delivery", folder.toString(), "--no-ack");
        assertThat(partner.code()).as(partner.all()).isZero();
        assertThat(partner.out()).contains("Parquet footer's row count matches");
        // a Parquet file whose footer declares another row count than the manifest fails at the partner's
        Path copy = dir.resolve("copy/items/run-000001");
        Files.createDirectories(copy);
        try (Stream<Path> listed = Files.list(folder)) {
            for (Path f : listed.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        byte[] lying = Files.readAllBytes(first.get(0));
        lying[lying.length - 8 - footerRowsOffset(lying)] = 18; // num_rows 7 becomes 9 (zigzag 18: one byte)
        Files.write(copy.resolve(first.get(0).getFileName()), lying);
        CliRun.Result lied = cli.run("verify-delivery", copy.toString(), "--no-ack");
        assertThat(lied.code()).as(lied.all()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(lied.out()).contains("sha256").contains("rows, manifest says 7");
        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as(deep.all()).isZero();
        assertThat(deep.out()).contains("(source): match");
        // positive control: the deep check reads the Parquet rows back and sees a changed source row
        db.exec("UPDATE items SET name = 'changed' WHERE id = 4");
        CliRun.Result drift = cli.run("verify", "items", "--deep");
        assertThat(drift.code()).as(drift.all()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(drift.out()).contains("changed  key [4]");
        // the correction run re-reads the row into a Parquet chunk of its own, which DuckDB reads too
        CliRun.Result correct = cli.run("correct", "items", "-q");
        assertThat(correct.code()).as(correct.all()).isZero();
        CliRun.Result corrected = cli.run("verify", "items", "--deep");
        assertThat(corrected.code()).as(corrected.all()).isZero();
        assertThat(corrected.out()).contains("changed  key [4] (carried by run #2)");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, _op FROM read_parquet('"
                     + drop.resolve("items/run-000002") + "/*.parquet')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(4);
            assertThat(rs.getString(2)).isEqualTo("changed");
            assertThat(rs.getString(3)).isEqualTo("upsert");
            assertThat(rs.next()).isFalse();
        }
    }

    /** The columns as comparable values: numbers, text, booleans, bytes as a list, NULL as null. */
    private static List<Object> row(ResultSet rs) throws Exception {
        List<Object> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        for (int i = 1; i <= n; i++) {
            String label = rs.getMetaData().getColumnLabel(i);
            Object v = label.equals("amount") ? rs.getString(i) : label.equals("payload") ? rs.getBytes(i)
                    : rs.getObject(i);
            if (v instanceof byte[] b) {
                v = Arrays.toString(b);
            } else if (v instanceof Number num && !(v instanceof Double)) {
                v = num.longValue();
            }
            out.add(v);
        }
        return out;
    }

    /**
     * Where, counted back from the footer's end, the footer's num_rows varint of a single-chunk file of
     * 7 rows sits: the byte after field 3's header (0x16, i64), found by its value 14 (zigzag of 7).
     */
    private static int footerRowsOffset(byte[] file) {
        int length = (file[file.length - 8] & 0xff) | (file[file.length - 7] & 0xff) << 8;
        int start = file.length - 8 - length;
        for (int i = file.length - 9; i > start; i--) {
            if (file[i] == 14 && file[i - 1] == 0x16) {
                return file.length - 8 - i;
            }
        }
        throw new AssertionError("no num_rows of 7 in the footer");
    }

    private static List<Path> chunks(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /**
     * OpenPGP wraps the whole Parquet file as it wraps any chunk: the partner's gpg decrypts it to a
     * file DuckDB reads, and our deep check reads it back with our own key.
     */
    @Test
    void anEncryptedParquetChunkIsTheWholeFileForGpgAndDeepVerifyReadsItBack() throws Exception {
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            partner.importKey(us.exportPublic("exports@example.com"));
            SourceDb db = SourceDb.h2(dir);
            db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                    + "NOT NULL)", "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE "
                    + "'2024-03-01 12:00:00+00' FROM SYSTEM_RANGE(1, 500)");
            CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "steward"));
            Path key = Files.writeString(dir.resolve("signing.asc"), us.exportSecret("exports@example.com"));
            assertThat(cli.run("secret", "set", "our-signing-key", "--scope", "openpgp:sign", "--from-file",
                    key.toString()).code()).isZero();
            ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop")).put("format", "parquet");
            contract.putObject("openpgp").<ObjectNode>set("sign_with", JSON.createObjectNode().put("secret",
                    "our-signing-key")).putArray("encrypt_to").add(partner.exportPublic("partner@example.com"));
            Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
            CliRun.Result imported = cli.run("contract", "import", file.toString());
            assertThat(imported.code()).as(imported.all()).isZero();
            CliRun.Result run = cli.run("run", "items", "-q");
            assertThat(run.code()).as(run.all()).isZero();

            Path chunk = dir.resolve("drop/items/run-000001/chunk-000001.parquet.pgp");
            Path plain = dir.resolve("plain.parquet");
            Gpg.Result r = partner.run(null, "--status-fd", "2", "--output", plain.toString(), "--decrypt",
                    chunk.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("GOODSIG").contains("DECRYPTION_OKAY");
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), sum(id), max(name) FROM read_parquet('" + plain
                         + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(500);
                assertThat(rs.getLong(2)).isEqualTo(125_250);
                assertThat(rs.getString(3)).isEqualTo("item 99");
            }
            Path partnerKey = Files.writeString(dir.resolve("partner.asc"), partner.exportSecret("partner@example.com"));
            Path folder = dir.resolve("drop/items/run-000001");
            CliRun.Result hashOnly = cli.run("verify-delivery", folder.toString(), "--no-ack", "--state",
                    dir.resolve("state-1").toString());
            assertThat(hashOnly.code()).as(hashOnly.all()).isZero();
            assertThat(hashOnly.out()).contains("encrypted Parquet: ciphertext only");
            CliRun.Result decrypted = cli.run("verify-delivery", folder.toString(), "--no-ack", "--state",
                    dir.resolve("state-2").toString(), "--decrypt-key", partnerKey.toString());
            assertThat(decrypted.code()).as(decrypted.all()).isZero();
            assertThat(decrypted.out()).contains("500 rows").contains("decrypted, Parquet footer's row count matches");
            CliRun.Result deep = cli.run("verify", "items", "--deep");
            assertThat(deep.code()).as(deep.all()).isZero();
            db.exec("DELETE FROM items WHERE id = 7");
            CliRun.Result missing = cli.run("verify", "items", "--deep");
            assertThat(missing.code()).as(missing.all()).isEqualTo(ExitCodes.VERIFY_FAILED);
            assertThat(missing.out()).contains("missing  key [7]");
        }
    }

    @Test
    void parquetOptionsOutsideParquetOrOutOfRangeAreBadInputNamingTheField() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        ObjectNode jsonl = contract("bad", db, dir.resolve("drop")).put("format", "jsonl");
        ObjectNode zero = contract("bad", db, dir.resolve("drop"));
        ((ObjectNode) zero.get("parquet")).put("row_group_rows", 0).put("row_group_bytes", "big");
        ObjectNode unknown = contract("bad", db, dir.resolve("drop"));
        ((ObjectNode) unknown.get("parquet")).put("page_size", 1);
        Map<ObjectNode, List<String>> cases = Map.of(
                jsonl, List.of("$.parquet", "apply only with \"format\": \"parquet\""),
                zero, List.of("$.parquet.row_group_rows", "between 1 and", "$.parquet.row_group_bytes"),
                unknown, List.of("$.parquet.page_size"));
        for (Map.Entry<ObjectNode, List<String>> c : cases.entrySet()) {
            Path file = Files.writeString(dir.resolve("bad.json"), c.getKey().toString());
            CliRun.Result imported = cli.run("contract", "import", file.toString());
            assertThat(imported.code()).as(imported.all()).isEqualTo(ExitCodes.INVALID_INPUT);
            for (String text : c.getValue()) {
                assertThat(imported.err()).contains(text);
            }
            assertThat(imported.all()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(cli.run("contract", "list").out()).contains("no contracts yet");
    }
}
