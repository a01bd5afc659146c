package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deep verification hashes a range's lines in this JVM when PostgreSQL is on this host and inside
 * PostgreSQL otherwise (SqlChunkDigests#digestBuckets): both places must give every bucket the same
 * digest, leave out rows in no bucket, and refuse the same guarded buckets.
 */
class DigestPlacementTest {
    @TempDir
    Path dir;

    @Test
    void theJvmAndPostgresqlGiveEveryBucketTheSameDigest() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), amount NUMERIC(12, 3), "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i <= 25_000; i++) {
                st.setLong(1, i);
                st.setString(2, switch (i % 5) {
                    case 0 -> null;
                    case 1 -> "Zoë \"quoted\" back\\slash\nline " + i;
                    case 2 -> "日本語 " + i;
                    default -> "plain " + i;
                });
                st.setBigDecimal(3, new BigDecimal(i + ".250"));
                st.setObject(4, OffsetDateTime.of(2024, 3, 1, 12, 0, 0, i * 1000, ZoneOffset.UTC));
                st.addBatch();
            }
            st.executeBatch();
        }
        // a control character SQL cannot escape as Jackson does: its bucket must be refused either way
        db.exec("UPDATE t SET name = 'bell ' || chr(7) WHERE id = 20500");
        ObjectNode json = Contracts.base("t", db, "t", dir.resolve("drop"));
        try (Connection c = db.connect()) {
            SourceSchema schema = new SchemaInspector().inspect(c, ContractCodec.parse(json.toString(), "test"));
            List<String> names = schema.columns().stream().map(ColumnInfo::outputName).toList();
            SqlRangeDigest.RowSql row = SqlRangeDigest.rowSql(schema, names, new Identifiers(c.getMetaData()));
            // three buckets, rows 10,001..12,000 in none (a gap between chunks), more rows than one fetch
            String inner = "SELECT " + row.columns() + ", CASE WHEN id <= 10000 THEN 1 WHEN id > 12000 AND id <= 20000 "
                    + "THEN 2 WHEN id > 20000 THEN 3 END AS b FROM t";
            assertThat(SqlChunkDigests.sameHost(c)).as("the test cluster listens on loopback").isTrue();

            Map<Integer, SqlRangeDigest.Digest> here = new HashMap<>();
            Set<Integer> guardedHere = new HashSet<>();
            SqlChunkDigests.digestBuckets(c, row, inner, List.of(), here, guardedHere, true);
            Map<Integer, SqlRangeDigest.Digest> there = new HashMap<>();
            Set<Integer> guardedThere = new HashSet<>();
            SqlChunkDigests.digestBuckets(c, row, inner, List.of(), there, guardedThere, false);

            assertThat(guardedHere).containsExactly(3);
            assertThat(guardedThere).containsExactly(3);
            assertThat(here.keySet()).containsExactlyInAnyOrder(1, 2);
            assertThat(here.get(1).rows()).isEqualTo(10_000);
            assertThat(here.get(2).rows()).isEqualTo(8_000);
            assertThat(there).isEqualTo(here);
            assertThat(here.get(1).hex()).isNotEqualTo(here.get(2).hex());
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void onlyALoopbackAddressInTheServersAnswerCountsAsThisHost() {
        assertThat(List.of("127.0.0.1", "127.0.0.1/32", "127.8.9.10", "::1", "::1/128", "::ffff:127.0.0.1"))
                .allMatch(SqlChunkDigests::loopback);
        // the answer comes from the source database: a name is never looked up, anything else is remote
        assertThat(List.of("10.0.0.1", "192.0.2.2/32", "localhost", "evil.example", "127.0.0.1.evil.example",
                "1270.0.0.1", "::2", "", "127.0.0.1\n")).noneMatch(SqlChunkDigests::loopback);
    }
}
