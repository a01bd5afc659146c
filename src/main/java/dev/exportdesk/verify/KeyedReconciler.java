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
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source-level reconciliation of a correction chunk. Its rows are arbitrary keys, not a cursor
 * range, so a range re-read would hold unrelated rows: each delivered record is looked up by key
 * instead. A delete matches a key that is gone; any other record, including the delete of a
 * soft-deleted row, must hash as the row encodes now.
 */
public final class KeyedReconciler {
    private KeyedReconciler() {
    }

    /**
     * {@code sourceKeys}: the chunk's keys as the state store holds them (a correction's), or null (a log
     * stream's chunk). Needed only when key columns are pseudonymised: a pseudonym cannot be looked up
     * in the source, so each source key is masked and its record found by the pseudonym instead.
     */
    public static ChunkReconciliation reconcile(Connection source, SourceSchema schema, FileFormat format,
                                                RowMask mask, InputStream content, List<String> sourceKeys)
            throws IOException {
        if (!mask.keyKept()) {
            return sourceKeys == null ? new ChunkReconciliation(ChunkClass.DRIFT, 0, null, List.of(), 0, "the key "
                    + "columns are pseudonymised and this chunk's keys (from the log) are not recorded here, so its rows "
                    + "cannot be looked up in the source; not compared")
                    : bySourceKeys(source, schema, format, mask, content, sourceKeys);
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

    private static ChunkReconciliation bySourceKeys(Connection source, SourceSchema schema, FileFormat format,
                                                    RowMask mask, InputStream content, List<String> sourceKeys)
            throws IOException {
        Map<String, DeliveredKeys.Found> shipped = new HashMap<>();
        DeliveredKeys.each(content, format, mask.delivered(), f -> shipped.put(f.key(), f));
        RowEncoder encoder = RowEncoder.of(format, mask);
        RowMask.Masker masker = mask.masker();
        RowBuffer buf = new RowBuffer();
        List<RowDiff> diffs = new ArrayList<>();
        long present = 0;
        for (String key : sourceKeys) {
            Object[] values = CursorCodec.decode(key);
            DeliveredKeys.Found f = shipped.get(CursorCodec.encode(masker.key(values)));
            CapturedRow now = RangeScan.byKey(source, schema, values);
            if (now == null) {
                if (f == null || !f.delete()) {
                    diffs.add(new RowDiff(key, RowDiff.Kind.MISSING, null));
                }
                continue;
            }
            present++;
            encoder.encode(now, buf);
            String sha = Hashing.sha256Hex(buf.array(), 0, buf.length());
            if (f == null || !sha.equals(f.sha256())) {
                diffs.add(new RowDiff(key, RowDiff.Kind.CHANGED, sha));
            }
        }
        return new ChunkReconciliation(ChunkClass.of(diffs), present, null, diffs, shipped.size(),
                sourceKeys.size() + " corrected row(s) looked up by key, found by their pseudonyms: " + diffs.size()
                + " differ now");
    }
}
