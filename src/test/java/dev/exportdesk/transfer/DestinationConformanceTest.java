package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One suite, many backends (rclone's fstests): every {@link Destination} must pass these. A
 * subclass provides the destination and a way to leave an upload interrupted part-way.
 */
@Timeout(120)
abstract class DestinationConformanceTest {
    static final String DIR = "orders/run-000001";

    @TempDir
    Path local;

    /** The destination under test, fresh for each test. */
    abstract Destination destination();

    /** Size of the "large" file: big enough to need several blocks or parts. */
    abstract long largeSize();

    /** Most bytes a resume may re-send beyond what the destination held (one block or part; the file for folders). */
    abstract long resumeSlack();

    /** Whether an interrupted upload continues from the bytes the destination holds. */
    abstract boolean resumes();

    /**
     * Starts uploading {@code file} to {@code path} and interrupts it after about {@code afterBytes}
     * bytes, leaving whatever temporary state the backend leaves; returns the bytes that attempt sent.
     */
    abstract long interruptUpload(String path, Path file, String sha256, long afterBytes) throws Exception;

    record Sent(TransferProgress last, long totalSent, int attempts) {
    }

    /** Puts with a few retries on transient errors, as the engine does; counts every byte sent. */
    Sent putRetrying(String path, Path file, String sha256) throws DeliveryException {
        long total = 0;
        for (int attempt = 1; ; attempt++) {
            TransferProgress p = new TransferProgress();
            try {
                destination().put(path, file, sha256, p);
                return new Sent(p, total + p.sentBytes(), attempt);
            } catch (DeliveryException e) {
                total += p.sentBytes();
                if (e.permanent() || attempt >= 4) {
                    throw e;
                }
            }
        }
    }

    Path randomFile(String name, long size, long seed) throws IOException {
        byte[] data = new byte[(int) size];
        new Random(seed).nextBytes(data);
        Path f = local.resolve(name);
        Files.write(f, data);
        return f;
    }

    static String sha(Path f) throws IOException {
        return Hashing.digest(f).sha256();
    }

    String remoteSha(String path) throws Exception {
        try (InputStream in = destination().open(path)) {
            return Hashing.digest(in).sha256();
        }
    }

    @Test
    void uploadsAndReportsSizeHashAndListing() throws Exception {
        Path f = randomFile("a.jsonl", 70_001, 1);
        destination().put(DIR + "/chunk-000001.jsonl", f, sha(f));

        assertThat(destination().stat(DIR + "/chunk-000001.jsonl")).contains(new RemoteFile(DIR
                + "/chunk-000001.jsonl", 70_001));
        assertThat(remoteSha(DIR + "/chunk-000001.jsonl")).isEqualTo(sha(f));
        assertThat(destination().list(DIR)).containsExactly(new RemoteFile(DIR + "/chunk-000001.jsonl", 70_001));
        assertThat(destination().stat(DIR + "/absent.jsonl")).isEmpty();
        assertThatThrownBy(() -> destination().open(DIR + "/absent.jsonl")).isInstanceOf(DeliveryException.class);
    }

    @Test
    void resumesAfterInterruptionWithoutExposingAPartialFile() throws Exception {
        long size = largeSize();
        Path f = randomFile("big.jsonl", size, 2);
        String path = DIR + "/chunk-000002.jsonl";
        long firstAttempt = interruptUpload(path, f, sha(f), size * 3 / 5);

        assertThat(destination().stat(path)).as("no partial file under the final name").isEmpty();
        assertThat(destination().list(DIR)).extracting(RemoteFile::path).doesNotContain(path);

        Sent resumed = putRetrying(path, f, sha(f));
        assertThat(remoteSha(path)).isEqualTo(sha(f));
        assertThat(destination().stat(path).orElseThrow().size()).isEqualTo(size);
        long resent = firstAttempt + resumed.totalSent() - size;
        assertThat(resent).as("bytes re-sent beyond what the destination held").isLessThanOrEqualTo(resumeSlack());
        if (resumes()) {
            assertThat(resumed.last().resumedFromOffset()).as("resumed from the destination's bytes").isPositive();
        }
    }

    @Test
    void redeliveryOfTheSameBytesIsANoOpAndDifferentBytesAreRefused() throws Exception {
        Path f = randomFile("c.jsonl", 40_000, 3);
        String path = DIR + "/chunk-000003.jsonl";
        destination().put(path, f, sha(f));

        TransferProgress again = new TransferProgress();
        destination().put(path, f, sha(f), again);
        assertThat(again.sentBytes()).as("nothing re-sent").isZero();

        Path other = randomFile("c2.jsonl", 40_000, 4);
        assertThatThrownBy(() -> destination().put(path, other, sha(other)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("refusing to overwrite");
        assertThat(remoteSha(path)).as("the delivered file is untouched").isEqualTo(sha(f));
    }

    @Test
    void replaceSwapsInTheSealedBytesAndLeavesNoTemporary() throws Exception {
        Path damaged = randomFile("d.jsonl", 50_000, 7);
        String path = DIR + "/chunk-000006.jsonl";
        destination().put(path, damaged, sha(damaged));
        Path sealed = randomFile("d2.jsonl", 60_000, 8);

        destination().replace(path, sealed, sha(sealed), new TransferProgress());
        assertThat(remoteSha(path)).isEqualTo(sha(sealed));
        assertThat(destination().stat(path).orElseThrow().size()).isEqualTo(60_000);
        assertThat(destination().list(DIR)).extracting(RemoteFile::path).containsExactly(path);
        assertThat(destination().removeAbandonedTemporaries(DIR)).as("no temporary left behind").isZero();

        TransferProgress again = new TransferProgress();
        destination().replace(path, sealed, sha(sealed), again);
        assertThat(again.sentBytes()).as("the same bytes are not sent twice").isZero();
    }

    @Test
    void aBandwidthCapPacesTheUpload() throws Exception {
        long size = 600_000;
        long cap = 1_000_000;
        Path f = randomFile("paced.jsonl", size, 9);
        long t0 = System.nanoTime();
        destination().put(DIR + "/chunk-000007.jsonl", f, sha(f), new TransferProgress(new Throttle(cap)));
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(remoteSha(DIR + "/chunk-000007.jsonl")).isEqualTo(sha(f));
        // a cap is a floor on the time taken, whatever the machine's speed: size/cap less one burst
        assertThat(elapsedMs).isGreaterThanOrEqualTo(size * 1000 / cap - 150);
    }

    @Test
    void removesAbandonedTemporaryUploadsAndOnlyThose() throws Exception {
        Path kept = randomFile("k.jsonl", 10_000, 5);
        destination().put(DIR + "/chunk-000004.jsonl", kept, sha(kept));
        Path f = randomFile("t.jsonl", largeSize(), 6);
        interruptUpload(DIR + "/chunk-000005.jsonl", f, sha(f), largeSize() / 2);

        assertThat(destination().removeAbandonedTemporaries(DIR)).isGreaterThanOrEqualTo(1);
        assertThat(destination().removeAbandonedTemporaries(DIR)).isZero();
        assertThat(destination().list(DIR)).extracting(RemoteFile::path).containsExactly(DIR + "/chunk-000004.jsonl");

        destination().put(DIR + "/chunk-000005.jsonl", f, sha(f));
        assertThat(remoteSha(DIR + "/chunk-000005.jsonl")).isEqualTo(sha(f));
    }

    @Test
    void deletesAndRefusesPathsOutsideTheRoot() throws Exception {
        Path f = randomFile("d.jsonl", 1_000, 7);
        destination().put(DIR + "/chunk-000006.jsonl", f, sha(f));
        destination().delete(DIR + "/chunk-000006.jsonl");
        assertThat(destination().stat(DIR + "/chunk-000006.jsonl")).isEmpty();

        assertThatThrownBy(() -> destination().put("../escape.jsonl", f, sha(f)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isTrue());
        assertThatThrownBy(() -> destination().put("/abs/escape.jsonl", f, sha(f)))
                .isInstanceOf(DeliveryException.class);
    }
}
