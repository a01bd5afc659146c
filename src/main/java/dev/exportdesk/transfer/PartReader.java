package dev.exportdesk.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads and hashes (MD5 for Content-MD5, SHA-256 for the part checksum) the parts of a multipart
 * upload one ahead of the upload, on a thread of its own, so hashing part n + 1 overlaps sending
 * part n. Two buffers take turns: a part's bytes stay untouched until the part after next is
 * asked for, by which time the upload that read them has finished.
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
    private int turn;
    private Future<Part> pending;

    PartReader(Path file, long partSize, long size) throws IOException {
        this.in = new RandomAccessFile(file.toFile(), "r");
        this.partSize = partSize;
        this.size = size;
        this.buffers = new byte[2][(int) Math.min(partSize, size)];
    }

    /** Starts reading part {@code number} (1-based) into the next buffer. */
    void prefetch(int number) {
        byte[] buf = buffers[turn++ % 2];
        pending = worker.submit(() -> read(number, buf));
    }

    /** The part last prefetched, once read and hashed. */
    Part take() throws IOException {
        try {
            return pending.get();
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
