package dev.exportdesk.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An order-independent, collision-resistant digest of a set of rows: for each row, the SHA-256 of
 * its delivered encoding (the exact bytes of its JSON Lines line or CSV record, terminator
 * included); the digest is the sum modulo 2^64 of the first 8 bytes and, separately, of the next 8
 * bytes of every row hash (big-endian), printed as 32 hex digits. Sums, unlike XOR, do not cancel
 * duplicated rows; two independent 64-bit sums make an accidental collision ~2^-128.
 */
public final class RowDigest {
    private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private final MessageDigest md = sha256();
    private long high;
    private long low;
    private long rows;

    /** Adds one row's encoding; returns its SHA-256. */
    public byte[] add(byte[] encoded, int offset, int length) {
        md.update(encoded, offset, length);
        byte[] h = md.digest();
        addHash(h);
        return h;
    }

    /** Adds one row by its SHA-256 (when the caller has hashed it already). */
    public void addHash(byte[] sha256) {
        addHash(sha256, 0);
    }

    /** Adds one row by its SHA-256, found at {@code offset} in {@code hashes}. */
    public void addHash(byte[] hashes, int offset) {
        high += longAt(hashes, offset);
        low += longAt(hashes, offset + 8);
        rows++;
    }

    public long rows() {
        return rows;
    }

    public String hex() {
        return hex(high, low);
    }

    /** The digest's text from its two sums (also when the database summed them). */
    static String hex(long high, long low) {
        return String.format("%016x%016x", high, low);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Eight bytes big-endian in one load: this runs twice for every row on the thread that compresses. */
    static long longAt(byte[] b, int off) {
        return (long) BIG_ENDIAN_LONGS.get(b, off);
    }
}
