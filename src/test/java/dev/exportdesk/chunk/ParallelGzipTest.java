package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-parallel gzip stream: what every reader gets back is the input (the JDK's reader and
 * GNU gzip), its bytes do not depend on how the input was written or on thread timing, and it
 * compresses about as well as one deflate stream.
 */
class ParallelGzipTest {
    private static final int SMALL_BLOCK = 4096;

    @TempDir
    Path dir;

    /** Lines like a CSV chunk's: repetitive enough to compress, different enough to need the dictionary. */
    private static byte[] text(int bytes, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes) {
            sb.append(r.nextInt(1_000_000)).append(",customer-").append(r.nextInt(5000)).append(",\"paid\",")
                    .append(r.nextInt(100_000) / 100.0).append(",2026-12-05T10:").append(r.nextInt(60)).append('\n');
        }
        return sb.substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] input, int blockSize, int[] writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, 1, blockSize)) {
            int off = 0;
            for (int i = 0; off < input.length; i++) {
                int n = Math.min(input.length - off, writes[i % writes.length]);
                if (n == 1) {
                    out.write(input[off]);
                } else {
                    out.write(input, off, n);
                }
                off += n;
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyLengthAroundTheBlocksComesBackAsItWas() throws IOException {
        for (int length : new int[] {0, 1, 1000, SMALL_BLOCK - 1, SMALL_BLOCK, SMALL_BLOCK + 1, 5 * SMALL_BLOCK + 123,
                                     40 * SMALL_BLOCK}) {
            byte[] input = text(length, length);
            assertThat(gunzip(gzip(input, SMALL_BLOCK, new int[] {65536}))).as("%d bytes", length).isEqualTo(input);
        }
        // bytes that do not compress, and the default block size
        byte[] random = new byte[3 * ParallelGzipOutputStream.BLOCK + 77];
        new Random(7).nextBytes(random);
        assertThat(gunzip(gzip(random, ParallelGzipOutputStream.BLOCK, new int[] {1 << 16}))).isEqualTo(random);
    }

    @Test
    void theBytesDoNotDependOnHowTheInputWasWrittenOrOnTiming() throws IOException {
        byte[] input = text(30 * SMALL_BLOCK + 5, 1);
        byte[] whole = gzip(input, SMALL_BLOCK, new int[] {input.length});
        for (int[] writes : new int[][] {{1}, {7, 4096, 1, 100_000}, {SMALL_BLOCK}, {3 * SMALL_BLOCK + 1}}) {
            assertThat(gzip(input, SMALL_BLOCK, writes)).isEqualTo(whole);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(gzip(input, SMALL_BLOCK, new int[] {8192})).isEqualTo(whole);
        }
    }

    @Test
    void gnuGzipReadsAndChecksIt() throws Exception {
        byte[] input = text(3 * ParallelGzipOutputStream.BLOCK + 999, 3);
        Path file = dir.resolve("chunk.csv.gz");
        Files.write(file, gzip(input, ParallelGzipOutputStream.BLOCK, new int[] {1 << 16}));
        Process test = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
        String said = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(test.waitFor()).as(said).isZero();
        Process cat = new ProcessBuilder("gzip", "-dc", file.toString()).start();
        byte[] back = cat.getInputStream().readAllBytes();
        assertThat(cat.waitFor()).isZero();
        assertThat(back).isEqualTo(input);
    }

    @Test
    void itCompressesAboutAsWellAsOneStream() throws IOException {
        byte[] input = text(8 * ParallelGzipOutputStream.BLOCK, 5);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(one) {
            {
                def.setLevel(1);
            }
        }) {
            gz.write(input);
        }
        int parallel = gzip(input, ParallelGzipOutputStream.BLOCK, new int[] {1 << 16}).length;
        assertThat((double) parallel / one.size()).isLessThan(1.01);
    }

    @Test
    void anInterruptIsKeptForTheCallerNotLost() throws IOException {
        byte[] input = text(10 * SMALL_BLOCK, 9);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, Deflater.BEST_SPEED, SMALL_BLOCK);
        Thread.currentThread().interrupt();
        try {
            out.write(input);
            out.close();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(gunzip(bytes.toByteArray())).isEqualTo(input);
    }
}
