package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.FaultProxy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Network faults between a remote destination and its real server, injected by {@link FaultProxy}.
 * What must hold afterwards: the delivered file hashes to the local one, no partial file was ever
 * visible under the final name, and the bytes re-sent beyond what the server held are at most one
 * block (SFTP) or part (S3).
 */
@Timeout(120)
abstract class RemoteFaultTest {
    static final String PATH = "orders/run-000001/chunk-000001.jsonl";

    @TempDir
    Path local;

    abstract Destination destination();

    abstract FaultProxy proxy();

    abstract long size();

    abstract long slack();

    Path file;
    String sha;

    void makeFile() throws Exception {
        byte[] data = new byte[(int) size()];
        new Random(42).nextBytes(data);
        file = local.resolve("chunk.jsonl");
        Files.write(file, data);
        sha = Hashing.sha256Hex(data);
    }

    String remoteSha() throws Exception {
        try (InputStream in = destination().open(PATH)) {
            return Hashing.digest(in).sha256();
        }
    }

    /** Interrupted once at {@code fraction} of the file, then retried until done: re-sent bytes measured. */
    @ParameterizedTest(name = "{0} after {1} of the file")
    @CsvSource({"CLOSE, 0.15", "CLOSE, 0.5", "RESET, 0.5", "CLOSE, 0.85", "RESET, 0.95"})
    void interruptedUploadResumesAndResendsAtMostOneBlock(FaultProxy.Kind kind, double fraction) throws Exception {
        makeFile();
        destination().stat(PATH);
        proxy().arm(kind, (long) (size() * fraction));
        long sent = 0;
        int attempts = 0;
        boolean failedOnce = false;
        while (true) {
            attempts++;
            TransferProgress p = new TransferProgress();
            try {
                destination().put(PATH, file, sha, p);
                sent += p.sentBytes();
                break;
            } catch (DeliveryException e) {
                assertThat(e.permanent()).as("a network fault is transient: " + e.getMessage()).isFalse();
                assertThat(destination().stat(PATH)).as("nothing under the final name yet").isEmpty();
                sent += p.sentBytes();
                failedOnce = true;
                assertThat(attempts).as("bounded retries").isLessThan(5);
            }
        }
        assertThat(failedOnce).as("the fault fired").isTrue();
        assertThat(proxy().faultsFired()).isEqualTo(1);
        assertThat(remoteSha()).isEqualTo(sha);
        long resent = sent - size();
        assertThat(resent).as("bytes re-sent beyond the file (limit %d)", slack()).isLessThanOrEqualTo(slack());
    }

    @Test
    void stallIsDetectedWithinTheWindowAndTheNextAttemptResumes() throws Exception {
        makeFile();
        destination().stat(PATH);
        proxy().arm(FaultProxy.Kind.STALL, size() * 7 / 10);
        Duration window = Duration.ofSeconds(1);
        TransferProgress first = new TransferProgress();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> StallWatchdog.guard(destination(), window, first,
                () -> destination().put(PATH, file, sha, first)))
                .isInstanceOfSatisfying(StallWatchdog.Stalled.class, e -> assertThat(e.idleMillis())
                        .as("detected within the window plus a watchdog tick (and scheduling slack)")
                        .isBetween(window.toMillis(), window.toMillis() + 1_000))
                .hasMessageContaining("no bytes acknowledged");
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMillis).as("the blocked upload was aborted promptly, far before the proxy's own 30 s cap")
                .isLessThan(window.toMillis() + 8_000);

        long sent = first.sentBytes();
        long resumedFrom = -1;
        for (int i = 0; ; i++) {
            TransferProgress next = new TransferProgress();
            try {
                StallWatchdog.guard(destination(), window, next, () -> destination().put(PATH, file, sha, next));
                sent += next.sentBytes();
                resumedFrom = next.resumedFromOffset();
                break;
            } catch (DeliveryException e) {
                sent += next.sentBytes();
                assertThat(i).as("bounded retries after the stall; last error: %s", e.getMessage()).isLessThan(3);
            }
        }
        assertThat(remoteSha()).isEqualTo(sha);
        assertThat(resumedFrom).as("resumed from what the server held").isPositive();
        assertThat(sent - size()).isLessThanOrEqualTo(slack());
    }

    @Test
    void latencyAndThrottleSlowTheTransferButNotItsResult() throws Exception {
        makeFile();
        destination().stat(PATH);
        long rate = 8L * 1024 * 1024;
        proxy().throttle(rate);
        proxy().latency(1);
        long t0 = System.nanoTime();
        destination().put(PATH, file, sha);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        proxy().throttle(0);
        proxy().latency(0);
        assertThat(millis).as("the throttle held the upload to about %d B/s", rate)
                .isGreaterThanOrEqualTo(size() * 1000 / rate * 8 / 10);
        assertThat(remoteSha()).isEqualTo(sha);
    }
}
