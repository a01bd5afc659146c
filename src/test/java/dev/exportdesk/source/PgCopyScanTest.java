package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COPY reader gives exactly the canonical values the JDBC reader gives, value by value, on the
 * shapes that take its fast paths and on the rare ones it hands to the driver; its bounds select
 * the same rows; and a bound value is data, never SQL.
 */
class PgCopyScanTest {
    private static SourceDb db;

    /** One value per row per column, so a value the JDBC path refuses only spoils its own row. */
    private static final String[] VALUES = {
        "i2 int2|-32768|0|32767",
        "i4 int4|-2147483648|7",
        "i8 int8|-9223372036854775808|9223372036854775807|0|-1",
        "n numeric(20,6)|0|-0.000001|123456789012.123456|1",
        "nu numeric|0.10|-5|1e-20|123456789012345678901234567890.5|'NaN'",
        "f4 real|1.1|-0|3.4e38|'Infinity'|'NaN'",
        "f8 double precision|0.1|-0|1e-310|1.7976931348623157e308|'-Infinity'|'NaN'|12345678.5",
        "b bool|true|false",
        "t text|''|E'tab\\there'|E'new\\nline\\rcr'|E'back\\\\slash'|E'\\b\\f\\v'|'ü€𝄞 \"q\"'|E'\\\\N'|'\\N'",
        "v varchar(40)|'plain'|E'a\\\\tb'|''",
        "c char(5)|'ab'|'abcde'",
        "d date|'2024-02-29'|'0999-01-01'|'4713-01-01 BC'|'10000-01-01'|'infinity'|'-infinity'",
        "tm time|'00:00:00'|'23:59:59.999999'|'12:00:00.5'|'24:00:00'",
        "ts timestamp|'2024-05-01 10:15:30'|'2024-05-01 10:15:30.1'|'2024-05-01 10:15:30.123456'"
                + "|'0044-03-15 10:00:00 BC'|'12345-01-01 00:00:00'|'infinity'|'-infinity'",
        "tz timestamptz|'2024-05-01 12:00:00+05:30'|'2024-05-01 10:15:30.000001+00'|'1969-12-31 23:59:59.5-08'"
                + "|'0044-03-15 10:00:00+00 BC'|'12345-01-01 00:00:00+00'|'infinity'|'-infinity'",
        "by bytea|''|'\\x00ff10'|E'\\\\x5c09'",
        "u uuid|'123e4567-e89b-12d3-a456-426614174000'",
        "j jsonb|'{\"a\": [1, \"x\\ty\"]}'|'null'",
    };

    @BeforeAll
    static void table() throws Exception {
        db = SourceDb.postgres();
        List<String> columns = new ArrayList<>();
        List<String> inserts = new ArrayList<>();
        long id = 0;
        for (String spec : VALUES) {
            String[] parts = spec.split("\\|");
            String column = parts[0].substring(0, parts[0].indexOf(' '));
            columns.add(parts[0]);
            inserts.add("INSERT INTO edge (id, updated_at) VALUES (" + ++id + ", now())"); // all NULL
            for (int i = 1; i < parts.length; i++) {
                inserts.add("INSERT INTO edge (id, updated_at, " + column + ") VALUES (" + ++id + ", now(), "
                        + parts[i] + ")");
            }
        }
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE edge (id BIGINT PRIMARY KEY, " + String.join(", ", columns)
                + ", updated_at TIMESTAMPTZ NOT NULL)");
        sql.addAll(inserts);
        sql.add("CREATE TABLE keyed (k VARCHAR(40) PRIMARY KEY, at TIMESTAMPTZ NOT NULL, n INT)");
        sql.add("INSERT INTO keyed SELECT 'k' || g || CASE WHEN g % 3 = 0 THEN ''')--' WHEN g % 3 = 1 THEN '\\' "
                + "ELSE 'Z' END, TIMESTAMPTZ '2024-01-01 00:00:00+00' + (g / 7) * INTERVAL '1 second', g "
                + "FROM generate_series(1, 300) g");
        sql.add("CREATE TABLE priced (id BIGINT PRIMARY KEY, price MONEY, updated_at TIMESTAMPTZ NOT NULL)");
        sql.add("GRANT SELECT ON edge, keyed, priced TO exportdesk_reader");
        db.exec(sql.toArray(String[]::new));
    }

    private static SourceSchema schema(Connection c, String table, String key, String cursor) {
        Contract contract = ContractCodec.parse(Contracts.json(Contracts.base("copy-" + table, db, table,
                Path.of("/nonexistent")), n -> {
                    n.putArray("key_columns").add(key);
                    n.putArray("cursor_columns").add(cursor);
                }), "test");
        return new SchemaInspector().inspect(c, contract);
    }

    private static long edgeRows(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM edge")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void everyValueDecodesAsTheJdbcReaderReadsIt() throws Exception {
        int compared = 0;
        int refusedByBoth = 0;
        try (Connection c = db.connect()) {
            SourceSchema schema = schema(c, "edge", "id", "updated_at");
            long rows = edgeRows(c);
            for (long id = 1; id <= rows; id++) {
                Object[] key = {id};
                Outcome jdbc = read(() -> {
                    List<Object> params = new ArrayList<>();
                    String sql = byId(schema, SourceSql.ids(c), SourceSql.jdbc(params), key);
                    return KeysetScan.query(c, schema, sql, params, 10);
                });
                Outcome copy = read(() -> PgCopyScan.open(c, schema, (ids, p) -> byId(schema, ids, p, key))
                        .orElseThrow());
                if (jdbc.failure != null) {
                    assertThat(jdbc.failure).as("row %d", id).isInstanceOf(SourceException.class);
                    assertThat(copy.failure).as("row %d: the JDBC reader refused it (%s)", id, jdbc.failure)
                            .isInstanceOf(SourceException.class);
                    refusedByBoth++;
                } else {
                    assertThat(copy.failure).as("row %d", id).isNull();
                    assertThat(copy.values).as("row %d", id).containsExactly(jdbc.values);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(60);
        assertThat(refusedByBoth).as("NaN numeric and out-of-range timestamps are refused by both").isPositive();
    }

    /**
     * The reader marks values the JSON encoder may copy whole (issue 14); a mark on a value with a
     * quote, an escape or a multi-byte character would change the delivered bytes.
     */
    @Test
    void valuesMarkedPlainAreJsonTextAsTheyStandAndEncodeAsUnmarked() throws Exception {
        int marked = 0;
        int unmarkedStrings = 0;
        try (Connection c = db.connect()) {
            SourceSchema schema = schema(c, "edge", "id", "updated_at");
            RowEncoder json = RowEncoder.of(FileFormat.JSONL, schema.columns().stream().map(ColumnInfo::name).toList());
            RowBuffer withMarks = new RowBuffer();
            RowBuffer without = new RowBuffer();
            long rows = edgeRows(c);
            for (long id = 1; id <= rows; id++) {
                Object[] key = {id};
                CapturedRow row;
                try (SqlScan scan = PgCopyScan.open(c, schema, (ids, p) -> byId(schema, ids, p, key)).orElseThrow()) {
                    row = scan.next();
                } catch (SourceException refused) {
                    continue; // NaN and out-of-range values: refused by both readers (test above)
                }
                for (int i = 0; i < row.values().length; i++) {
                    if (row.plain(i)) {
                        assertThat(row.values()[i]).as("row %d column %d", id, i).isInstanceOf(String.class);
                        assertThat((String) row.values()[i]).as("row %d column %d", id, i)
                                .matches("[\\x20-\\x7f&&[^\"\\\\]]*");
                        marked++;
                    } else if (row.values()[i] instanceof String) {
                        unmarkedStrings++;
                    }
                }
                json.encode(row, withMarks);
                json.encode(new CapturedRow(row.values(), row.delete()), without);
                assertThat(Arrays.copyOf(withMarks.array(), withMarks.length()))
                        .as("row %d", id).isEqualTo(Arrays.copyOf(without.array(), without.length()));
            }
        }
        assertThat(marked).isGreaterThan(60);
        assertThat(unmarkedStrings).as("escaped, quoted and non-ASCII text stays unmarked").isGreaterThan(5);
    }

    @Test
    void boundsSelectTheSameRowsAsTheCursorAndStayData() throws Exception {
        try (Connection c = db.connect()) {
            SourceSchema schema = schema(c, "keyed", "k", "at");
            List<List<Object>> all = rows(SourceScans.ordered(c, schema, ScanRange.all(), 50));
            assertThat(all).hasSize(300);
            for (int cut : new int[] {0, 1, 2, 150, 298}) {
                Object[] after = CapturedRowTuple.of(all.get(cut), schema);
                Object[] upTo = CapturedRowTuple.of(all.get(Math.min(cut + 40, 299)), schema);
                ScanRange range = new ScanRange(after, null, upTo, null);
                SqlScan copy = SourceScans.ordered(c, schema, range, 50);
                assertThat(copy).isInstanceOf(PgCopyScan.class);
                List<List<Object>> viaCopy = rows(copy);
                List<List<Object>> viaJdbc = rows(KeysetScan.open(c, schema, range, 50));
                assertThat(viaCopy).as("after row %d", cut).isEqualTo(viaJdbc).isNotEmpty();
                assertThat(viaCopy.get(0)).isEqualTo(all.get(cut + 1));
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM keyed")) {
                rs.next();
                assertThat(rs.getLong(1)).as("keys with quotes were bound as data").isEqualTo(300);
            }
        }
    }

    @Test
    void aColumnWithoutADecoderIsReadThroughJdbc() throws Exception {
        db.exec("INSERT INTO priced VALUES (1, 12.5, now())");
        try (Connection c = db.connect()) {
            SourceSchema schema = schema(c, "priced", "id", "updated_at");
            try (SqlScan scan = SourceScans.ordered(c, schema, ScanRange.all(), 10)) {
                assertThat(scan).isInstanceOf(KeysetScan.class);
                assertThat(scan.next()).isNotNull();
            }
        }
    }

    private static String byId(SourceSchema schema, Identifiers ids, SourceSql.Binder params, Object[] key) {
        ColumnInfo id = schema.columns().get(schema.keyIndexes()[0]);
        return SourceSql.select(schema, ids) + " WHERE " + ids.quote(id.name()) + " = " + params.bind(key[0], id);
    }

    private static List<List<Object>> rows(SqlScan scan) {
        List<List<Object>> out = new ArrayList<>();
        try (scan) {
            for (CapturedRow r = scan.next(); r != null; r = scan.next()) {
                out.add(Arrays.asList(r.values()));
            }
        }
        return out;
    }

    private record Outcome(Object[] values, Exception failure) {
    }

    private interface Open {
        SqlScan open();
    }

    private static Outcome read(Open open) {
        try (SqlScan scan = open.open()) {
            CapturedRow row = scan.next();
            assertThat(scan.next()).isNull();
            return new Outcome(row.values(), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    /** The ordering tuple of a row read as a list. */
    private static final class CapturedRowTuple {
        static Object[] of(List<Object> row, SourceSchema schema) {
            return new CapturedRow(row.toArray(), false).tuple(schema);
        }
    }
}
