package dev.exportdesk.chunk;

import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ReadAheadScan;
import java.security.DigestException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A batch of rows as delivered: their encoded lines (terminators included) one after another in one
 * array, and each line's SHA-256, which feeds the chunk's row digest and the lookback index alike.
 * Packed so that the thread that compresses reads a batch's lines in order from a few arrays
 * instead of two objects per row made on the other core (issue 14: fetching those was a tenth of
 * that thread's time).
 */
public final class EncodedLines {
    public static final int SHA_BYTES = 32;
    /** Room a batch keeps when it is emptied for reuse. */
    private static final int KEEP_BYTES = 4 << 20;
    private byte[] bytes;
    private final int[] ends;
    private final byte[] shas;
    /** Each row's cursor time, where the capture asked for it ({@link #at}); null otherwise. */
    private final long[] seconds;
    private final int[] nanos;
    private final boolean[] deletes;
    private int size;

    EncodedLines(int rows, boolean instants) {
        this.bytes = new byte[rows * 256];
        this.ends = new int[rows];
        this.shas = new byte[rows * SHA_BYTES];
        this.seconds = instants ? new long[rows] : null;
        this.nanos = instants ? new int[rows] : null;
        this.deletes = new boolean[rows];
    }

    /** The array holding the lines. */
    public byte[] bytes() {
        return bytes;
    }

    /** Where line {@code i} starts in {@link #bytes()}. */
    public int offset(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    public int length(int i) {
        return ends[i] - offset(i);
    }

    /** The array holding the hashes: line {@code i}'s at {@code i * SHA_BYTES}. */
    public byte[] shas() {
        return shas;
    }

    /** Whether row {@code i} is delivered as a delete (its source row is deleted, or it left the filter). */
    public boolean delete(int i) {
        return deletes[i];
    }

    /** Reads a row's cursor time into {@code seconds[i]} and {@code nanos[i]} (no object per row). */
    @FunctionalInterface
    public interface CursorTime {
        void read(CapturedRow row, long[] seconds, int[] nanos, int i);
    }

    /** Whether the rows carry their cursor times (the encoder was given a {@link CursorTime}). */
    public boolean timed() {
        return seconds != null;
    }

    /** Row {@code i}'s cursor time; null when the rows carry none. */
    public Instant at(int i) {
        return seconds == null ? null : Instant.ofEpochSecond(seconds[i], nanos[i]);
    }

    /** Whether row {@code i}'s cursor time is at or after {@code t}; call only when {@link #timed()}. */
    public boolean atOrAfter(int i, Instant t) {
        return seconds[i] > t.getEpochSecond() || seconds[i] == t.getEpochSecond() && nanos[i] >= t.getNano();
    }

    public long atSecond(int i) {
        return seconds[i];
    }

    public int atNano(int i) {
        return nanos[i];
    }

    /** A copy of line {@code i}'s SHA-256. */
    public byte[] sha256(int i) {
        return Arrays.copyOfRange(shas, i * SHA_BYTES, (i + 1) * SHA_BYTES);
    }

    /**
     * Encodes and hashes rows one after another into batches, asks {@code deletes} whether each is
     * delivered as a delete, and reads each row's cursor time with {@code at} when that is not null;
     * not thread-safe, one per scan. It runs on the read-ahead thread, so the thread that compresses
     * and writes chunks does not also encode, nor read the rows at all (issue 14: fetching the
     * objects the other core made cost that thread more than its own work on them).
     */
    public static ReadAheadScan.Batcher<EncodedLines> encoder(RowEncoder encoder, Predicate<CapturedRow> deletes,
                                                              CursorTime at) {
        RowBuffer buffer = new RowBuffer();
        MessageDigest sha = Hashing.sha256();
        return new ReadAheadScan.Batcher<>() {
            @Override
            public EncodedLines open(int rows) {
                return new EncodedLines(rows, at != null);
            }

            @Override
            public void add(EncodedLines batch, CapturedRow row) {
                encoder.encode(row, buffer);
                batch.deletes[batch.size] = deletes.test(row);
                if (at != null) {
                    at.read(row, batch.seconds, batch.nanos, batch.size);
                }
                batch.append(buffer, sha);
            }

            @Override
            public void clear(EncodedLines batch) {
                batch.size = 0;
                if (batch.bytes.length > KEEP_BYTES) {
                    batch.bytes = new byte[batch.ends.length * 256]; // wide rows passed: do not hold their room
                }
            }
        };
    }

    private void append(RowBuffer line, MessageDigest sha) {
        int from = size == 0 ? 0 : ends[size - 1];
        int n = line.length();
        if (from + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, from + n));
        }
        System.arraycopy(line.array(), 0, bytes, from, n);
        sha.update(bytes, from, n);
        try {
            sha.digest(shas, size * SHA_BYTES, SHA_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not fit its 32 bytes", e);
        }
        ends[size++] = from + n;
    }
}
