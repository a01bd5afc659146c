package dev.exportdesk.transfer;

/** Multipart part size: max(5 MiB, size / 10,000 rounded up to a whole MiB), so any object fits in 10,000 parts. */
public final class PartSize {
    public static final long MIB = 1024L * 1024;
    public static final long MIN = 5 * MIB;
    public static final int MAX_PARTS = 10_000;

    private PartSize() {
    }

    public static long forObject(long size) {
        long perPart = (size + MAX_PARTS - 1) / MAX_PARTS;
        long roundedUp = (perPart + MIB - 1) / MIB * MIB;
        return Math.max(MIN, roundedUp);
    }

    public static int parts(long size, long partSize) {
        return (int) Math.max(1, (size + partSize - 1) / partSize);
    }
}
