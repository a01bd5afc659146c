package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.testing.SourceDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key ranges of a parallel backfill, on H2 and PostgreSQL: the split points are ascending, the
 * ranges they make cover the range exactly once between them (every row in exactly one range), and
 * they are near even.
 */
class RangeSplitTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void rangesCoverEveryRowExactlyOnceOnH2() throws Exception {
        check(SourceDb.h2(dir));
    }

    @Test
    void rangesCoverEveryRowExactlyOnceOnPostgres() throws Exception {
        check(SourceDb.postgres());
    }

    private static void check(SourceDb db) throws Exception {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        OffsetDateTime base = OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
            for (int id = 1; id <= 10_000; id++) {
                st.setLong(1, id);
                st.setObject(2, base.plusSeconds((id * 7919L) % 997)); // many rows share a time, in key disorder
                st.addBatch();
            }
            st.executeBatch();
        }
        Contract contract = dev.exportdesk.contract.ContractCodec.parse(dev.exportdesk.testing.Contracts.base("items",
                db, "items", java.nio.file.Path.of("/tmp/unused")).toString(), "items.json");
        try (Connection c = db.connect()) {
            SourceSchema schema = new SchemaInspector().inspect(c, contract);
            ScanRange all = ScanRange.all();
            long rows = RangeCount.count(c, schema, all);
            List<Object[]> points = RangeSplit.points(c, schema, all, rows, 7);
            assertThat(points).hasSize(6);
            List<Long> sizes = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            long duplicates = 0;
            Object[] after = null;
            for (int i = 0; i <= points.size(); i++) {
                Object[] upTo = i < points.size() ? points.get(i) : null;
                long n = 0;
                try (SqlScan scan = SourceScans.ordered(c, schema, new ScanRange(after, null, upTo, null), 500)) {
                    for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                        n++;
                        if (!seen.add(row.key(schema)[0])) {
                            duplicates++;
                        }
                    }
                }
                sizes.add(n);
                after = upTo;
            }
            assertThat(duplicates).as("rows in two ranges").isZero();
            assertThat(seen).as("rows in some range").hasSize(10_000);
            assertThat(sizes).as("range sizes").allSatisfy(n -> assertThat(n).isBetween(1_000L, 2_000L));
        }
    }
}
