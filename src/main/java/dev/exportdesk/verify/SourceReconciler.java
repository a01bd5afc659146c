package dev.exportdesk.verify;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.RowDigest;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlRangeDigest;
import dev.exportdesk.source.SqlScan;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Source-level reconciliation of one delivered chunk. The chunk's (cursor, key) range is re-read
 * from the source and its row count and {@link RowDigest} compared with those fixed at sealing.
 * On a mismatch the range is bisected data-diff style: the delivered file is cut into 32 equal
 * slices by row position, each slice's boundaries become source sub-ranges whose digests are
 * compared, and mismatching slices are cut again until they hold at most {@link #LIST_BELOW} rows;
 * those are listed on both sides and compared key by key.
 */
public final class SourceReconciler {
    public static final int FAN_OUT = 32;
    public static final int LIST_BELOW = 16_384;
    private static final HexFormat HEX = HexFormat.of();

    private final Connection source;
    private final SourceSchema schema;
    private final FileFormat format;
    private final RowMask mask;
    private final int fetchSize;
    private final List<String> names;
    private final boolean pushDown;
    private final VerifySteps steps;
    private long rowsRead;
    private long rowsDigestedInSql;
    private long deletesOfGoneKeys;

    /** Opens the delivered chunk's uncompressed content, afresh each time it is called. */
    @FunctionalInterface
    public interface ContentOpener {
        InputStream open() throws IOException;
    }

    /** What was shipped: the chunk's first and last ordering tuples, row count and sealed digest. */
    public record ShippedChunk(String file, long rows, Object[] cursorFrom, Object[] cursorTo, String rowDigest) {
    }

    /**
     * {@code steps}: asked before each source read of a bisection, so a cancel stops it between reads.
     * {@code mask}: the contract's masking, applied to the source's rows as the capture applied it.
     */
    public SourceReconciler(Connection source, SourceSchema schema, FileFormat format, RowMask mask, int fetchSize,
                            VerifySteps steps) {
        this.steps = steps;
        this.source = source;
        this.schema = schema;
        this.format = format;
        this.mask = mask;
        this.fetchSize = fetchSize;
        this.names = mask.names();
        // the source digests rows itself only as they are, never masked; a Parquet row's digest is its JSON Lines line's
        this.pushDown = mask.identity() && format.type() != OutputFormat.CSV && SqlRangeDigest.supported(source, schema);
    }

    public ChunkReconciliation reconcile(ShippedChunk chunk, ContentOpener delivered) throws IOException {
        return reconcile(chunk, delivered, null);
    }

    /**
     * As {@link #reconcile(ShippedChunk, ContentOpener)}, with the whole range's digest already
     * computed by the source (e.g. {@code SqlChunkDigests}, for several chunks at once).
     */
    public ChunkReconciliation reconcile(ShippedChunk chunk, ContentOpener delivered, SqlRangeDigest.Digest known)
            throws IOException {
        rowsRead = 0;
        deletesOfGoneKeys = 0;
        rowsDigestedInSql = 0;
        Digest whole = known != null ? new Digest(known.rows(), known.hex())
                : sourceDigest(chunk.cursorFrom(), chunk.cursorTo(), true);
        if (chunk.rowDigest() != null && whole.rows == chunk.rows() && whole.hex.equals(chunk.rowDigest())) {
            return new ChunkReconciliation(ChunkClass.MATCH, whole.rows, whole.hex, List.of(), rowsRead,
                    whole.rows + " rows, digest " + whole.hex);
        }
        List<RowDiff> diffs = new ArrayList<>();
        if (mask.orderKept()) {
            bisect(delivered, 0, chunk.rows(), chunk.cursorFrom(), chunk.cursorTo(), true, diffs);
        } else {
            // pseudonymised cursor or key values bound no source range: the whole chunk is listed at once
            list(delivered, 0, chunk.rows(), chunk.cursorFrom(), chunk.cursorTo(), true, diffs);
        }
        List<RowDiff> merged = merge(diffs);
        ChunkClass cls = ChunkClass.of(merged);
        String detail = chunk.rowDigest() == null ? "no sealed digest recorded; compared with the delivered file"
                : "shipped " + chunk.rows() + " rows (digest " + chunk.rowDigest() + "), source has " + whole.rows
                + " (digest " + whole.hex + ")";
        if (deletesOfGoneKeys > 0) {
            detail += "; " + deletesOfGoneKeys + " shipped delete(s) of keys the source no longer has";
        }
        return new ChunkReconciliation(cls, whole.rows, whole.hex, merged, rowsRead, detail);
    }

    private void bisect(ContentOpener delivered, long lo, long hi, Object[] from, Object[] to, boolean toInclusive,
                        List<RowDiff> out) throws IOException {
        long n = hi - lo;
        steps.checkpoint();
        if (n <= LIST_BELOW) {
            list(delivered, lo, hi, from, to, toInclusive, out);
            return;
        }
        long size = (n + FAN_OUT - 1) / FAN_OUT;
        int slices = (int) ((n + size - 1) / size);
        Object[][] first = new Object[slices][];
        RowDigest[] shipped = new RowDigest[slices];
        try (InputStream in = delivered.open(); DeliveredRows rows = new DeliveredRows(in, format, mask.delivered())) {
            for (long p = 0; p < lo; p++) {
                rows.skip();
            }
            for (int s = 0; s < slices; s++) {
                shipped[s] = new RowDigest();
                long end = Math.min(hi, lo + (s + 1) * size);
                for (long p = lo + (long) s * size; p < end; p++) {
                    DeliveredRows.Row r = rows.next(p == lo + (long) s * size);
                    if (r == null) {
                        throw new IOException("the delivered chunk has fewer rows than its manifest");
                    }
                    if (r.tuple() != null) {
                        first[s] = r.tuple();
                    }
                    shipped[s].addHash(r.sha256());
                }
            }
        }
        for (int s = 0; s < slices; s++) {
            steps.checkpoint();
            Object[] sFrom = s == 0 ? from : first[s];
            Object[] sTo = s == slices - 1 ? to : first[s + 1];
            boolean incl = s == slices - 1 && toInclusive;
            Digest d = sourceDigest(sFrom, sTo, incl);
            if (d.rows != shipped[s].rows() || !d.hex.equals(shipped[s].hex())) {
                long sLo = lo + (long) s * size;
                bisect(delivered, sLo, Math.min(hi, sLo + size), sFrom, sTo, incl, out);
            }
        }
    }

    private void list(ContentOpener delivered, long lo, long hi, Object[] from, Object[] to, boolean toInclusive,
                      List<RowDiff> out) throws IOException {
        Map<String, String> shipped = new LinkedHashMap<>();
        Map<String, Object[]> shippedKeys = new LinkedHashMap<>();
        Set<String> shippedDeletes = new HashSet<>();
        try (InputStream in = delivered.open(); DeliveredRows rows = new DeliveredRows(in, format, mask.delivered())) {
            for (long p = 0; p < lo; p++) {
                rows.skip();
            }
            for (long p = lo; p < hi; p++) {
                DeliveredRows.Row r = rows.next(true);
                if (r == null) {
                    throw new IOException("the delivered chunk has fewer rows than its manifest");
                }
                String key = CursorCodec.encode(r.key());
                shipped.put(key, HEX.formatHex(r.sha256()));
                shippedKeys.put(key, r.key());
                if (r.delete()) {
                    shippedDeletes.add(key);
                }
            }
        }
        Map<String, String> now = new LinkedHashMap<>();
        RowEncoder encoder = RowEncoder.of(format, mask);
        RowBuffer buf = new RowBuffer();
        // delivered key text -> the source's key text (they differ when key columns are pseudonymised)
        Map<String, String> sourceKeys = new HashMap<>();
        RowMask.Masker keys = mask.masker();
        try (SqlScan scan = RangeScan.open(source, schema, from, to, toInclusive, fetchSize)) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                rowsRead++;
                encoder.encode(row, buf);
                String key = CursorCodec.encode(keys.key(row.key(schema)));
                now.put(key, Hashing.sha256Hex(buf.array(), 0, buf.length()));
                sourceKeys.put(key, CursorCodec.encode(row.key(schema)));
            }
        }
        for (Map.Entry<String, String> e : shipped.entrySet()) {
            String current = now.get(e.getKey());
            if (current == null && !mask.keyKept()) {
                // a pseudonym cannot be looked up in the source: the row is reported under it
                out.add(new RowDiff(e.getKey(), RowDiff.Kind.MISSING, null));
            } else if (current == null) {
                CapturedRow elsewhere = RangeScan.byKey(source, schema, shippedKeys.get(e.getKey()));
                rowsRead++;
                if (elsewhere == null) {
                    // a delete of a key the source no longer has: the partner holds what the source holds
                    if (shippedDeletes.contains(e.getKey())) {
                        deletesOfGoneKeys++;
                    } else {
                        out.add(new RowDiff(e.getKey(), RowDiff.Kind.MISSING, null));
                    }
                } else {
                    encoder.encode(elsewhere, buf);
                    out.add(new RowDiff(e.getKey(), RowDiff.Kind.CHANGED,
                            Hashing.sha256Hex(buf.array(), 0, buf.length())));
                }
            } else if (!current.equals(e.getValue())) {
                out.add(new RowDiff(sourceKeys.get(e.getKey()), RowDiff.Kind.CHANGED, current));
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!shipped.containsKey(e.getKey())) {
                out.add(new RowDiff(sourceKeys.get(e.getKey()), RowDiff.Kind.EXTRA, e.getValue()));
            }
        }
    }

    /** A key seen as shipped elsewhere in the chunk (CHANGED/MISSING) is not also a late arrival. */
    private static List<RowDiff> merge(List<RowDiff> diffs) {
        Map<String, RowDiff> byKey = new LinkedHashMap<>();
        for (RowDiff d : diffs) {
            RowDiff prior = byKey.get(d.key());
            if (prior == null || prior.kind() == RowDiff.Kind.EXTRA) {
                byKey.put(d.key(), d);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private record Digest(long rows, String hex) {
    }

    private Digest sourceDigest(Object[] from, Object[] to, boolean toInclusive) {
        if (pushDown) {
            java.util.Optional<SqlRangeDigest.Digest> inSql = SqlRangeDigest.digest(source, schema, names, from, to,
                    toInclusive);
            if (inSql.isPresent()) {
                rowsDigestedInSql += inSql.get().rows();
                return new Digest(inSql.get().rows(), inSql.get().hex());
            }
        }
        RowDigest digest = new RowDigest();
        RowEncoder encoder = RowEncoder.of(format, mask);
        RowBuffer buf = new RowBuffer();
        try (SqlScan scan = RangeScan.open(source, schema, from, to, toInclusive, fetchSize)) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                encoder.encode(row, buf);
                digest.add(buf.array(), 0, buf.length());
                rowsRead++;
            }
        }
        return new Digest(digest.rows(), digest.hex());
    }

    /** Rows whose digest the source computed itself (PostgreSQL, JSON Lines) in the last {@link #reconcile}. */
    public long rowsDigestedInSql() {
        return rowsDigestedInSql;
    }

    /** The rows read from the source by the last {@link #reconcile} (a measure of bisection's cost). */
    public long rowsRead() {
        return rowsRead;
    }

}
