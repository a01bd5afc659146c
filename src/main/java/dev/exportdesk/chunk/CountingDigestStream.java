package dev.exportdesk.chunk;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while counting them and feeding a SHA-256. */
final class CountingDigestStream extends FilterOutputStream {
    private final MessageDigest digest = Hashing.sha256();
    private long count;

    CountingDigestStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    String sha256() {
        return Hashing.hex(digest.digest());
    }
}
