package dev.exportdesk.store;

import java.time.Instant;
import java.util.Arrays;

/**
 * Up to {@link ShippedLines#BLOCK_ROWS} lines one chunk shipped inside the lookback horizon: the
 * SHA-256 of each line, packed in the order shipped, and the span of their cursor times. A line's
 * hash covers its key and cursor values, so an equal hash in a block whose span holds the row's
 * cursor time means exactly that row, as it is now, was delivered.
 */
public record ShippedBlock(Instant firstAt, Instant lastAt, byte[] hashes) {
    static final int HASH = 32;
    private static final int INDEX_BITS = 12; // BLOCK_ROWS = 2^12

    public int rows() {
        return hashes.length / HASH;
    }

    /** A lookup built once when a re-scan meets the block; exporting never sorts anything. */
    public Lookup lookup() {
        return new Lookup(hashes);
    }

    /**
     * Each entry is a hash's first 52 bits and its position in 12 bits, so one primitive sort
     * orders the block; a prefix match is confirmed on the whole hash.
     */
    public static final class Lookup {
        private final byte[] hashes;
        private final long[] sorted;

        private Lookup(byte[] hashes) {
            this.hashes = hashes;
            int n = hashes.length / HASH;
            sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = prefix(hashes, i * HASH) | i;
            }
            Arrays.sort(sorted);
        }

        public boolean contains(byte[] sha256) {
            long p = prefix(sha256, 0);
            int i = Arrays.binarySearch(sorted, p); // index bits 0: lands on or just before the run of p
            for (int j = i >= 0 ? i : -i - 1; j < sorted.length && (sorted[j] & -(1L << INDEX_BITS)) == p; j++) {
                int at = (int) (sorted[j] & ((1 << INDEX_BITS) - 1)) * HASH;
                if (Arrays.equals(hashes, at, at + HASH, sha256, 0, HASH)) {
                    return true;
                }
            }
            return false;
        }

        /** The first 52 bits, sign-flipped so signed order is unsigned order, index bits cleared. */
        private static long prefix(byte[] b, int off) {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (b[off + k] & 0xff);
            }
            return (v ^ Long.MIN_VALUE) & -(1L << INDEX_BITS);
        }
    }
}
