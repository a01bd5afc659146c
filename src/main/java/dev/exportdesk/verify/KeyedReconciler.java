package dev.exportdesk.verify;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.SourceSchema;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Source-level reconciliation of a correction chunk. Its rows are arbitrary keys, not a cursor
 * range, so a range re-read would hold unrelated rows: each delivered record is looked up by key
 * instead. A delete matches a key that is gone; any other record, including the delete of a
 * soft-deleted row, must hash as the row encodes now.
 */
public final class KeyedReconciler {
    private KeyedReconciler() {
    }

    public static ChunkReconciliation reconcile(Connection source, SourceSchema schema, OutputFormat format,
                                                RowMask mask, InputStream content) throws IOException {
        if (!mask.keyKept()) {
            // a pseudonym cannot be looked up in the source: reported, never passed unseen
            return new ChunkReconciliation(ChunkClass.DRIFT, 0, null, List.of(), 0, "the key columns are "
                    + "pseudonymised, so this chunk's rows (a correction's or the log's) cannot be looked up by key; "
                    + "not compared");
        }
        RowEncoder encoder = RowEncoder.of(format, mask);
        RowBuffer buf = new RowBuffer();
        List<RowDiff> diffs = new ArrayList<>();
        long[] counts = new long[2]; // [records shipped, rows present at the source]
        DeliveredKeys.each(content, format, mask.delivered(), f -> {
            counts[0]++;
            CapturedRow now = RangeScan.byKey(source, schema, CursorCodec.decode(f.key()));
            if (now == null) {
                if (!f.delete()) {
                    diffs.add(new RowDiff(f.key(), RowDiff.Kind.MISSING, null));
                }
                return;
            }
            counts[1]++;
            encoder.encode(now, buf);
            String sha = Hashing.sha256Hex(buf.array(), 0, buf.length());
            // the hash covers the operation: a soft-deleted row's delete record matches the row as it is now
            if (!sha.equals(f.sha256())) {
                diffs.add(new RowDiff(f.key(), RowDiff.Kind.CHANGED, sha));
            }
        });
        return new ChunkReconciliation(ChunkClass.of(diffs), counts[1], null, diffs, counts[0],
                counts[0] + " corrected row(s) looked up by key: " + diffs.size() + " differ now");
    }
}
