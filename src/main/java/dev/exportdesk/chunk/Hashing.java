package dev.exportdesk.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/** SHA-256 helpers; hex is lowercase, as {@code sha256sum} prints it. */
public final class Hashing {
    private static final String WARM_UP_THREAD = "exportdesk-sha-warm-up";
    private static final int WARM_UP_LINES = 30_000;
    private static final AtomicBoolean WARMING = new AtomicBoolean();

    private Hashing() {
    }

    /**
     * Starts, once per JVM, a daemon that hashes the way an export does (a line at a time, and 8 KiB
     * writes) for about 50 ms of CPU. Why: HotSpot uses the CPU's SHA instructions only where C2
     * compiled the caller of the JDK's compression function, and C2 takes hot methods in turn. Left
     * to the export's own hashing, those methods queued behind the compiles of the run's start and
     * its database code: a 2M-row export hashed in plain Java for its first two seconds, 12 % of its
     * reading thread (BENCHMARKS.md, 2026-12-06, third section). Only commands that hash rows start
     * it: on `status` it cost 0.1 s.
     */
    public static void warmUpInBackground() {
        if (WARMING.compareAndSet(false, true)) {
            Thread t = new Thread(Hashing::warmUp, WARM_UP_THREAD);
            t.setDaemon(true);
            t.start();
        }
    }

    static void warmUp() {
        MessageDigest md = sha256();
        byte[] line = new byte[100];
        byte[] write = new byte[8192];
        byte[] out = new byte[32];
        try {
            for (int i = 0; i < WARM_UP_LINES; i++) {
                md.update(line, 0, line.length);
                md.digest(out, 0, out.length);
                if (i % 16 == 0) {
                    md.update(write, 0, write.length);
                }
            }
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not fit its 32 bytes", e);
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static String sha256Hex(byte[] data, int offset, int length) {
        MessageDigest md = sha256();
        md.update(data, offset, length);
        return hex(md.digest());
    }

    public static String sha256Hex(byte[] data) {
        return sha256Hex(data, 0, data.length);
    }

    /** Hash and size of a stream, read to its end. */
    public static Digest digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            size += n;
        }
        return new Digest(hex(md.digest()), size);
    }

    public static Digest digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    /** A SHA-256 (hex) with the number of bytes it covers. */
    public record Digest(String sha256, long size) {
    }
}
