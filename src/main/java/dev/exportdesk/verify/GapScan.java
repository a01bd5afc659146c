package dev.exportdesk.verify;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlScan;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows now between two adjacent chunks' ranges. A run's capture reads the source in one keyset
 * order, so when it sealed chunk i at tuple {@code last(i)} and began chunk i+1 at {@code
 * first(i+1)} there was nothing in between; whatever is there now committed late (or moved there
 * by an update of the cursor) and no chunk's own range re-read would see it.
 */
public final class GapScan {
    private GapScan() {
    }

    /** The rows found, as late arrivals, with how many there were in all (only the first {@code max} are listed). */
    public record Gap(List<RowDiff> rows, long count) {
    }

    /**
     * Rows with {@code after < tuple < before}; {@code after} null means from the start of the table.
     * Streams the range once; memory holds at most {@code max} keys.
     */
    public static Gap between(Connection source, SourceSchema schema, FileFormat format, RowMask mask,
                              Object[] after, Object[] before, int fetchSize, int max) {
        RowEncoder encoder = RowEncoder.of(format, mask);
        RowBuffer buf = new RowBuffer();
        Object[] afterKey = after == null ? null
                : Arrays.copyOfRange(after, after.length - schema.keyIndexes().length, after.length);
        String skip = afterKey == null ? null : CursorCodec.encode(afterKey);
        List<RowDiff> rows = new ArrayList<>();
        long count = 0;
        // the range starts inclusive at after: its one row is the previous chunk's last row, skipped by key
        try (SqlScan scan = RangeScan.open(source, schema, after, before, false, fetchSize)) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                String key = CursorCodec.encode(row.key(schema));
                if (key.equals(skip)) {
                    continue;
                }
                count++;
                if (rows.size() < max) {
                    encoder.encode(row, buf);
                    rows.add(new RowDiff(key, RowDiff.Kind.EXTRA, Hashing.sha256Hex(buf.array(), 0, buf.length())));
                }
            }
        }
        return new Gap(rows, count);
    }
}
