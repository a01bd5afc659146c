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
    private Instant first;
    private Instant last;

    public void add(byte[] sha256, Instant at) {
        add(sha256, 0, at);
    }

    /** Adds the line whose SHA-256 is at {@code offset} in {@code hashes}. */
    public void add(byte[] hashes, int offset, Instant at) {
        if (packed == null) {
            packed = new byte[BLOCK_ROWS * ShippedBlock.HASH];
        }
        System.arraycopy(hashes, offset, packed, rows * ShippedBlock.HASH, ShippedBlock.HASH);
        rows++;
        // lookback rows and forward rows can share a chunk, so the span is a min and max, not first and last
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
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
        blocks.add(new ShippedBlock(first, last, rows == BLOCK_ROWS ? packed
                : Arrays.copyOf(packed, rows * ShippedBlock.HASH)));
        packed = null;
        rows = 0;
        first = null;
        last = null;
    }
}
