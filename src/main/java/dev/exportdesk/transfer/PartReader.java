package dev.exportdesk.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads and hashes (MD5 for Content-MD5, SHA-256 for the part checksum) the parts of a multipart
 * upload up to {@value #AHEAD} ahead of the upload, on a thread of its own, so hashing the next
 * parts overlaps sending this one. With one part ahead, the upload waited for the reader whenever
 * a busy machine delayed it for the length of one part's send (JFR: the uploader parked in
 * {@link #take} for about 5 % of a 1 GiB upload); a second part ahead absorbs such a delay.
 * {@value #AHEAD} + 1 buffers take turns: a part's bytes stay untouched until the part
 * {@value #AHEAD} + 1 places later is asked for, by which time the upload that read them has
 * finished.
 */
final class PartReader implements AutoCloseable {
    record Part(int number, byte[] bytes, int length, String md5, String sha256) {
    }

    private final RandomAccessFile in;
    private final long partSize;
    private final long size;
    private final byte[][] buffers;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "exportdesk-s3-part-reader");
        t.setDaemon(true);
        return t;
    });
    static final int AHEAD = 2;
    private int turn;
    private final Deque<Future<Part>> pending = new ArrayDeque<>();

    PartReader(Path file, long partSize, long size) throws IOException {
        this.in = new RandomAccessFile(file.toFile(), "r");
        this.partSize = partSize;
        this.size = size;
        this.buffers = new byte[AHEAD + 1][(int) Math.min(partSize, size)];
    }

    /**
     * Starts reading part {@code number} (1-based) into the next buffer; at most {@value #AHEAD}
     * parts may be prefetched and not yet taken.
     */
    void prefetch(int number) {
        if (pending.size() >= AHEAD) {
            throw new IllegalStateException("more than " + AHEAD + " parts ahead");
        }
        byte[] buf = buffers[turn++ % buffers.length];
        pending.add(worker.submit(() -> read(number, buf)));
    }

    /** The oldest part prefetched and not yet taken, once read and hashed. */
    Part take() throws IOException {
        try {
            return pending.remove().get();
        } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted while reading a part");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private Part read(int number, byte[] buf) throws IOException {
        long offset = (number - 1) * partSize;
        int len = (int) Math.min(partSize, size - offset);
        in.seek(offset);
        in.readFully(buf, 0, len);
        return new Part(number, buf, len, base64(digest("MD5", buf, len)), base64(digest("SHA-256", buf, len)));
    }

    static byte[] digest(String algorithm, byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(data, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public void close() throws IOException {
        worker.shutdownNow();
        in.close();
    }
}
