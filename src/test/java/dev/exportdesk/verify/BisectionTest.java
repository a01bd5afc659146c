package dev.exportdesk.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.RowDigest;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlScan;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-million-row range in which exactly three rows differ (one updated in place, one deleted,
 * one inserted between two shipped keys): bisection must find exactly those three keys, and read
 * far fewer source rows than a naive per-row comparison would need repeated.
 */
class BisectionTest {
    private static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void findsExactlyTheThreeDifferingRowsInAMillion() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        Shipped shipped = ship(db, ROWS);
        try (Connection c = db.connect()) {
            db.exec("UPDATE big SET name = 'changed' WHERE id = 123456",
                    "DELETE FROM big WHERE id = 777778",
                    "INSERT INTO big VALUES (1500001, 'late', TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00')");

            SourceReconciler reconciler = new SourceReconciler(c, shipped.schema(), dev.exportdesk.contract.FileFormat.JSONL,
                    RowMask.none(shipped.schema()), 5000,
                    VerifySteps.NONE);
            long started = System.nanoTime();
            ChunkReconciliation r = reconciler.reconcile(shipped.chunk(), () -> Files.newInputStream(shipped.file()));
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(r.diffs()).extracting(RowDiff::key, RowDiff::kind).containsExactlyInAnyOrder(
                    tuple("[123456]", RowDiff.Kind.CHANGED), tuple("[777778]", RowDiff.Kind.MISSING),
                    tuple("[1500001]", RowDiff.Kind.EXTRA));
            assertThat(r.classification()).isEqualTo(ChunkClass.MISSING_AT_SOURCE);
            assertThat(r.sourceRows()).isEqualTo(ROWS);
            // whole range once, the 32 first-level slices once, three 31k-row slices, three ~1k-row leaves
            assertThat(r.rowsRead()).as("source rows read (%d ms)", millis).isLessThan(2L * ROWS + 3 * 33_000);
        }
    }

    /** Issue 12 #12: a cancel stops bisection between two source reads, not after the whole chunk. */
    @Test
    void aCancelStopsBisectionBetweenSourceReads() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        int rows = 40_000; // above LIST_BELOW: one level of 32 slices of 1,250 rows
        Shipped shipped = ship(db, rows);
        try (Connection c = db.connect()) {
            db.exec("UPDATE big SET name = 'changed' WHERE id = 79000");
            int[] checkpoints = {0};
            VerifySteps cancelAtThird = new VerifySteps() {
                @Override
                public void chunksDone(int done, int total) {
                }

                @Override
                public void checkpoint() {
                    if (++checkpoints[0] == 3) {
                        throw new VerificationCancelledException("cancelled");
                    }
                }
            };
            SourceReconciler reconciler = new SourceReconciler(c, shipped.schema(), dev.exportdesk.contract.FileFormat.JSONL,
                    RowMask.none(shipped.schema()), 5000,
                    cancelAtThird);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciler.reconcile(shipped.chunk(),
                    () -> Files.newInputStream(shipped.file()))).isInstanceOf(VerificationCancelledException.class);
            assertThat(reconciler.rowsRead()).as("the whole range, then the first slice only")
                    .isEqualTo(rows + rows / SourceReconciler.FAN_OUT);
        }
    }

    private record Shipped(SourceSchema schema, Path file, SourceReconciler.ShippedChunk chunk) {
    }

    /** {@code rows} rows in {@code big}, written as one JSON Lines chunk ordered by key, as shipped. */
    private Shipped ship(SourceDb db, int rows) throws Exception {
        db.exec("CREATE TABLE big (id BIGINT PRIMARY KEY, name VARCHAR(40), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO big SELECT X * 2, 'row ' || X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, " + rows + ")");
        // ordered by key alone (a full, key-range export), so the range reads follow the primary key
        var json = Contracts.base("big", db, "big", dir.resolve("drop"));
        json.putArray("cursor_columns");
        json.remove("late_data");
        var contract = ContractCodec.parse(json.toString(), "test");
        Path chunk = dir.resolve("chunk.jsonl");
        try (Connection c = db.connect()) {
            SourceSchema schema = new SchemaInspector().inspect(c, contract);
            RowEncoder encoder = RowEncoder.of(dev.exportdesk.contract.FileFormat.JSONL,
                    schema.columns().stream().map(ColumnInfo::outputName).toList());
            RowDigest digest = new RowDigest();
            RowBuffer buf = new RowBuffer();
            Object[] first = null;
            Object[] last = null;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(chunk), 1 << 16);
                 SqlScan scan = RangeScan.open(c, schema, null, null, true, 5000)) {
                for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                    encoder.encode(row, buf);
                    digest.add(buf.array(), 0, buf.length());
                    buf.writeTo(out);
                    first = first == null ? row.tuple(schema) : first;
                    last = row.tuple(schema);
                }
            }
            assertThat(digest.rows()).isEqualTo(rows);
            return new Shipped(schema, chunk, new SourceReconciler.ShippedChunk("chunk.jsonl", rows, first, last,
                    digest.hex()));
        }
    }
}
