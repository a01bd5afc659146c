package dev.exportdesk.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.RowDigest;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlRangeDigest;
import dev.exportdesk.source.SqlScan;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest PostgreSQL computes in SQL equals the digest of the rows streamed through the JSON
 * Lines encoder — over awkward values (NULLs, empty strings, quotes, backslashes, newlines, tabs,
 * unicode, decimals with trailing zeros, negative numbers, timestamps in other zones, soft
 * deletes), row by row and as a digest; and a string the two would escape differently (a control
 * character, a character beyond U+FFFF) makes it fall back to streaming instead of giving a
 * different answer.
 */
class SqlDigestTest {
    @TempDir
    Path dir;

    @Test
    void postgresqlComputesTheSameDigestAsTheEncoder() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), code CHAR(4), amount NUMERIC(12, 3), "
                + "flag BOOLEAN, born DATE, seen TIMESTAMP, deleted SMALLINT, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= 3000; i++) {
                st.setLong(1, i * (i % 11 == 0 ? -1 : 1));
                st.setString(2, switch (i % 6) {
                    case 0 -> null;
                    case 1 -> "";
                    case 2 -> "Zoë \"quoted\" back\\slash\nline\ttab\r " + i;
                    case 3 -> "日本語 ünïcödé " + i;
                    case 4 -> "</script> & 'single' " + i;
                    default -> "plain " + i;
                });
                st.setString(3, i % 5 == 0 ? null : "ab");
                st.setBigDecimal(4, i % 7 == 0 ? null : new BigDecimal((i % 3 == 0 ? "-" : "") + i + ".500"));
                st.setObject(5, i % 4 == 0 ? null : (Object) (i % 2 == 0));
                st.setObject(6, LocalDate.of(1899, 12, 31).plusDays(i * 17L));
                st.setObject(7, i % 9 == 0 ? null : LocalDateTime.of(2024, 2, 29, 23, 59, 59, i * 1000));
                st.setObject(8, i % 13 == 0 ? (Object) 1 : i % 17 == 0 ? null : (Object) 0);
                st.setObject(9, OffsetDateTime.of(2024, 3, 1, 12, 0, 0, i * 1000, ZoneOffset.ofHoursMinutes(5, 30)));
                st.addBatch();
            }
            st.executeBatch();
        }
        ObjectNode json = Contracts.base("t", db, "t", dir.resolve("drop"));
        json.put("soft_delete_column", "deleted");
        Contract contract = ContractCodec.parse(json.toString(), "test");
        try (Connection c = db.connect()) {
            SourceSchema schema = new SchemaInspector().inspect(c, contract);
            List<String> names = schema.columns().stream().map(ColumnInfo::outputName).toList();
            assertThat(SqlRangeDigest.supported(c, schema)).isTrue();

            RowDigest streamed = new RowDigest();
            RowEncoder encoder = RowEncoder.of(dev.exportdesk.contract.FileFormat.JSONL, names);
            RowBuffer buf = new RowBuffer();
            try (SqlScan scan = RangeScan.open(c, schema, null, null, true, 500)) {
                for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                    encoder.encode(row, buf);
                    streamed.add(buf.array(), 0, buf.length());
                }
            }
            List<String> encoded = new java.util.ArrayList<>();
            try (SqlScan scan = RangeScan.open(c, schema, null, null, true, 500)) {
                for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                    encoder.encode(row, buf);
                    encoded.add(new String(buf.array(), 0, buf.length(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            List<String> fromSql = new java.util.ArrayList<>();
            try (var st = c.createStatement(); var rs = st.executeQuery(SqlRangeDigest.lineQuery(c, schema, names))) {
                while (rs.next()) {
                    fromSql.add(rs.getString(1));
                }
            }
            assertThat(fromSql).as("row lines built in SQL").containsExactlyElementsOf(encoded);
            Optional<SqlRangeDigest.Digest> inSql = SqlRangeDigest.digest(c, schema, names, null, null, true);
            assertThat(inSql).isPresent();
            assertThat(inSql.get().rows()).isEqualTo(3000);
            assertThat(inSql.get().hex()).isEqualTo(streamed.hex());
            assertThat(c.getAutoCommit()).as("the lines are fetched in a transaction of their own").isTrue();

            db.exec("UPDATE t SET name = 'bell ' || chr(7) WHERE id = 5");
            assertThat(SqlRangeDigest.digest(c, schema, names, null, null, true)).as("control character").isEmpty();
            db.exec("UPDATE t SET name = 'plain' WHERE id = 5", "UPDATE t SET name = 'smile \uD83D\uDE00' WHERE id = 7");
            assertThat(SqlRangeDigest.digest(c, schema, names, null, null, true)).as("beyond U+FFFF").isEmpty();
        }
    }
}
