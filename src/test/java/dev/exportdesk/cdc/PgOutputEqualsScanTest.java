package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.OutputText;
import dev.exportdesk.source.PgCopyScan;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SourceScans;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlScan;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A row is the same bytes whether it came through the cursor path or the log: the same values
 * (one per row, NULL rows included) are scanned from one table and decoded from the log of an
 * identical one, and encoded through the chunk encoder side by side. The first table takes the
 * COPY reader, the second (arrays, enums, intervals, …) the JDBC cursor.
 */
class PgOutputEqualsScanTest {
    private static LogicalDb db;

    /** As PgCopyScanTest's edge values: the COPY reader's fast paths and the shapes it hands to the driver. */
    private static final String[] COPY_TYPES = {
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
        "by bytea|''|'\\x00ff10'|E'\\\\x5c09'|'\\x0a0d09005c4e'",
        "u uuid|'123e4567-e89b-12d3-a456-426614174000'",
        "j jsonb|'{\"a\": [1, \"x\\ty\"]}'|'null'|'\"\\u00fc\"'",
        "js json|'{\"b\" : 1,  \"a\":2}'|'[]'",
    };

    /** Types the cursor path reads through JDBC ({@code getString}, by kind). */
    private static final String[] OTHER_TYPES = {
        "mo mood|'happy'|'sad'",
        "iv interval|'1 year 2 mons 3 days 04:05:06.789'|'-1 day'|'0'",
        "ip inet|'10.0.0.1/8'|'::1'",
        "dm short_text|'domain value'",
        "x xml|'<a>b</a>'",
        "bits bit varying(8)|B'1010'",
    };

    @BeforeAll
    static void database() throws SQLException {
        db = LogicalDb.create();
        db.exec("CREATE TYPE mood AS ENUM ('happy', 'sad')", "CREATE DOMAIN short_text AS text");
    }

    @Test
    void copyDecodedTypesGiveTheSameBytesThroughTheLog() throws Exception {
        int rows = compare("edge", COPY_TYPES, true);
        assertThat(rows).isGreaterThan(60);
    }

    @Test
    void jdbcReadTypesGiveTheSameBytesThroughTheLog() throws Exception {
        int rows = compare("extra", OTHER_TYPES, false);
        assertThat(rows).isGreaterThan(15);
    }

    /**
     * Fills {@code name} with one value per row (dropping the values the cursor path itself refuses),
     * copies it into {@code name_log} after a slot was created, and compares every row and its bytes.
     */
    private int compare(String name, String[] specs, boolean viaCopy) throws Exception {
        List<String> columns = new ArrayList<>();
        for (String spec : specs) {
            columns.add(spec.split("\\|")[0]);
        }
        db.exec("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, " + String.join(", ", columns) + ")",
                "CREATE TABLE " + name + "_log (LIKE " + name + " INCLUDING ALL)",
                "ALTER TABLE " + name + "_log REPLICA IDENTITY FULL",
                "CREATE PUBLICATION " + name + "_pub FOR TABLE " + name + "_log");
        int refused = 0;
        try (Connection c = db.connect()) {
            SourceSchema schema = db.schema(c, name, "id", n -> { });
            long id = 0;
            for (String spec : specs) {
                String[] parts = spec.split("\\|");
                String column = parts[0].substring(0, parts[0].indexOf(' '));
                exec(c, "INSERT INTO " + name + " (id) VALUES (" + ++id + ")");
                for (int i = 1; i < parts.length; i++) {
                    exec(c, "INSERT INTO " + name + " (id, " + column + ") VALUES (" + ++id + ", " + parts[i] + ")");
                    try {
                        LogicalDb.scan(c, schema);
                    } catch (RuntimeException e) {
                        exec(c, "DELETE FROM " + name + " WHERE id = " + id); // the cursor path refuses it too
                        refused++;
                    }
                }
            }
            try (SqlScan scan = SourceScans.ordered(c, schema, ScanRange.all(), 10)) {
                assertThat(scan instanceof PgCopyScan).as("which reader the cursor path takes").isEqualTo(viaCopy);
            }
            for (ColumnInfo col : schema.columns()) {
                assertThat(OutputText.decodes(col)).as("column %s", col.name()).isTrue();
            }
            List<Object[]> scanned = LogicalDb.scan(c, schema);
            LogicalTable table = db.table(name + "_log", "id");
            List<Object[]> logged = new ArrayList<>();
            List<Object[]> updated = new ArrayList<>();
            try (ReplicationSession session = db.session()) {
                ExportedSnapshot slot = session.createSlot(name + "_slot");
                try (LogicalStream stream = session.stream(name + "_slot", name + "_pub", slot.consistentPoint(),
                        table, LogicalStream.Limits.DEFAULT)) {
                    exec(c, "INSERT INTO " + name + "_log SELECT * FROM " + name);
                    exec(c, "UPDATE " + name + "_log SET id = -id");
                    for (Transaction t : LogicalStreamTest.until(stream, ch -> ch.op() == Change.Op.UPDATE
                            && ch.values()[0].equals(-1L) && ch.oldKey() != null)) {
                        for (Change ch : t.changes()) {
                            (ch.op() == Change.Op.INSERT ? logged : updated).add(ch.values());
                        }
                    }
                }
                session.dropSlot(name + "_slot");
            }
            assertThat(logged).hasSameSizeAs(scanned);
            assertThat(updated).hasSameSizeAs(scanned);
            Map<Object, Object[]> byId = new HashMap<>();
            logged.forEach(v -> byId.put(v[0], v));
            List<String> names = schema.columns().stream().map(ColumnInfo::outputName).toList();
            RowEncoder encoder = RowEncoder.of(dev.exportdesk.contract.FileFormat.JSONL, names);
            for (Object[] row : scanned) {
                Object[] log = byId.get(row[0]);
                assertThat(log).as("row %s through the log", row[0]).containsExactly(row);
                assertThat(bytes(encoder, log)).as("row %s bytes", row[0]).isEqualTo(bytes(encoder, row));
            }
            for (Object[] v : updated) {
                Object[] back = v.clone();
                back[0] = -((Long) v[0]);
                assertThat(back).as("updated row %s", back[0]).containsExactly(byId.get(back[0]));
            }
            if (viaCopy) {
                assertThat(refused).as("NaN numerics and years past 9999 are refused by the cursor path").isPositive();
            } else {
                assertThat(refused).isZero();
            }
            return scanned.size();
        }
    }

    /** The driver converts these in its own way (numbers, binary notation): the log path refuses them up front. */
    @Test
    void typesTheDriverConvertsItsOwnWayAreNotDecoded() throws Exception {
        db.exec("CREATE TABLE refused (id BIGINT PRIMARY KEY, m MONEY, ia INT4[], ta TEXT[], p POINT, b BOX, "
                + "tt TIMETZ)");
        try (Connection c = db.connect()) {
            SourceSchema schema = db.schema(c, "refused", "id", n -> { });
            assertThat(schema.columns().stream().filter(col -> !OutputText.decodes(col)).map(ColumnInfo::name))
                    .containsExactly("m", "ia", "ta", "p", "b", "tt");
        }
    }

    @Test
    void aValueTheCursorPathRefusesIsRefusedByTheLogToo() throws Exception {
        db.exec("CREATE TABLE odd (id BIGINT PRIMARY KEY, n NUMERIC)", "ALTER TABLE odd REPLICA IDENTITY FULL",
                "CREATE PUBLICATION odd_pub FOR TABLE odd");
        LogicalTable table = db.table("odd", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("odd_slot");
            try (LogicalStream stream = session.stream("odd_slot", "odd_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                db.exec("INSERT INTO odd VALUES (1, 'NaN')");
                assertThatThrownBy(() -> LogicalStreamTest.until(stream, ch -> true))
                        .isInstanceOf(CaptureException.class)
                        .hasMessageContaining("table public.odd")
                        .hasMessageContaining("column \"n\"");
            }
        }
    }

    private static byte[] bytes(RowEncoder encoder, Object[] values) {
        RowBuffer buffer = new RowBuffer();
        encoder.encode(new CapturedRow(values, false), buffer);
        return Arrays.copyOf(buffer.array(), buffer.length());
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
