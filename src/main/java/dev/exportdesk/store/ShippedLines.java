package dev.exportdesk.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines a chunk ships inside the lookback horizon, gathered while it is written and stored
 * with its seal (issue 14: 32 bytes a row in blocks, where the per-row index kept two hundred-odd
 * bytes of text and two B-tree entries a row, and cost a store lookup per re-scanned row).
 */
public final class ShippedLines {
    public static final int BLOCK_ROWS = 4096;
    private final List<ShippedBlock> blocks = new ArrayList<>();
    private byte[] packed;
    private int rows;
    // the block's span as seconds and nanoseconds: an Instant per line showed in the profile of the
    // thread that compresses (issue 14)
    private long firstSecond;
    private int firstNano;
    private long lastSecond;
    private int lastNano;

    public void add(byte[] sha256, Instant at) {
        add(sha256, 0, at.getEpochSecond(), at.getNano());
    }

    /** Adds the line whose SHA-256 is at {@code offset} in {@code hashes}, shipped with cursor time {@code second.nano}. */
    public void add(byte[] hashes, int offset, long second, int nano) {
        if (packed == null) {
            packed = new byte[BLOCK_ROWS * ShippedBlock.HASH];
        }
        System.arraycopy(hashes, offset, packed, rows * ShippedBlock.HASH, ShippedBlock.HASH);
        // lookback rows and forward rows can share a chunk, so the span is a min and max, not first and last
        if (rows == 0 || second < firstSecond || second == firstSecond && nano < firstNano) {
            firstSecond = second;
            firstNano = nano;
        }
        if (rows == 0 || second > lastSecond || second == lastSecond && nano > lastNano) {
            lastSecond = second;
            lastNano = nano;
        }
        rows++;
        if (rows == BLOCK_ROWS) {
            close();
        }
    }

    public boolean isEmpty() {
        return blocks.isEmpty() && rows == 0;
    }

    public List<ShippedBlock> blocks() {
        close();
        return List.copyOf(blocks);
    }

    private void close() {
        if (rows == 0) {
            return;
        }
        blocks.add(new ShippedBlock(Instant.ofEpochSecond(firstSecond, firstNano),
                Instant.ofEpochSecond(lastSecond, lastNano),
                rows == BLOCK_ROWS ? packed : Arrays.copyOf(packed, rows * ShippedBlock.HASH)));
        packed = null;
        rows = 0;
    }
}
