package dev.exportdesk.chunk;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member (RFC 1952) whose deflate stream is compressed in blocks on other threads, as
 * pigz does: each block is deflated with the previous block's last 32 KiB as its dictionary and
 * ends with a sync flush (the last one ends the stream), so the blocks join into one deflate
 * stream that every gzip reader decodes. On the writing thread, deflate was the export's busiest
 * work for gzip contracts (BENCHMARKS.md, 2026-12-05 evening); here that thread only copies, keeps
 * the CRC-32 and writes finished blocks in order.
 *
 * <p>The bytes depend only on the input, the level and the block size, never on thread timing or
 * how the input was split into writes. At most {@link #IN_FLIGHT} blocks are held at once.
 * Waiting for a block does not end on an interrupt: the interrupt is kept for the caller's next
 * check, as the single-threaded stream never saw one.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 * 1024;
    private static final int IN_FLIGHT = 4;
    /** RFC 1952: deflate, no flags, no modification time, no extra flags, OS byte 0 — as the JDK writes it. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "exportdesk-gzip");
                t.setDaemon(true);
                return t;
            });

    private final OutputStream out;
    private final int level;
    private final int blockSize;
    private final CRC32 crc = new CRC32();
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block;
    private int filled;
    private byte[] dictionary;
    private long size;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
        this(out, level, BLOCK);
    }

    ParallelGzipOutputStream(OutputStream out, int level, int blockSize) throws IOException {
        this.out = out;
        this.level = level;
        this.blockSize = blockSize;
        this.block = new byte[blockSize];
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            int n = Math.min(len, blockSize - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == blockSize) {
                submit(false);
            }
        }
    }

    /**
     * Ends no block: where blocks end would then depend on when callers flush, and so would the
     * bytes. The JDK's gzip stream did not flush its deflater either; the chunk writer flushes only
     * right before it closes this stream to seal.
     */
    @Override
    public void flush() {
        // nothing to do: see above
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                out.write(take(inFlight.poll()));
            }
            byte[] trailer = new byte[8];
            intLe(trailer, 0, (int) crc.getValue());
            intLe(trailer, 4, (int) size); // ISIZE: the length modulo 2^32
            out.write(trailer);
        } finally {
            out.close();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] dict = dictionary;
        crc.update(input, 0, length);
        size += length;
        inFlight.add(POOL.submit(() -> deflate(input, length, dict, last)));
        if (!last) {
            dictionary = Arrays.copyOfRange(input, Math.max(0, length - DICTIONARY), length);
            block = new byte[blockSize];
            filled = 0;
        }
        while (inFlight.size() > IN_FLIGHT) {
            out.write(take(inFlight.poll()));
        }
    }

    private byte[] deflate(byte[] input, int length, byte[] dict, boolean last) {
        Deflater deflater = new Deflater(level, true);
        try {
            if (dict != null) {
                deflater.setDictionary(dict);
            }
            deflater.setInput(input, 0, length);
            if (last) {
                deflater.finish();
            }
            byte[] buf = new byte[Math.max(1024, length / 2)];
            int used = 0;
            while (true) {
                if (used == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = deflater.deflate(buf, used, buf.length - used, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                used += n;
                // a sync flush is complete once it leaves room in the buffer; the last block once finished
                if (last ? deflater.finished() : used < buf.length && deflater.needsInput()) {
                    return Arrays.copyOf(buf, used);
                }
            }
        } finally {
            deflater.end();
        }
    }

    private static byte[] take(Future<byte[]> block) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return block.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IOException("compressing a block failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void intLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
