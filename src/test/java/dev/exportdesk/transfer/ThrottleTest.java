package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ThrottleTest {

    @Test
    void oneCapIsSharedByEveryThreadThatUsesIt() throws Exception {
        Throttle cap = new Throttle(2_000_000);
        long perThread = 500_000;
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    for (int sent = 0; sent < perThread; sent += 32 * 1024) {
                        cap.acquire(32 * 1024, () -> { });
                    }
                } catch (InterruptedIOException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        // 4 × 512 KiB at 2 MB/s together: about a second, never less than that minus one burst
        assertThat(elapsedMs).isGreaterThanOrEqualTo(4 * 512 * 1024 * 1000L / 2_000_000 - 120);
    }

    @Test
    void aLongWaitKeepsSayingItIsAlive() throws Exception {
        Throttle cap = new Throttle(100_000);
        AtomicInteger beats = new AtomicInteger();
        cap.acquire(60_000, beats::incrementAndGet);
        assertThat(beats.get()).as("heartbeats during a 0.5 s wait").isGreaterThanOrEqualTo(3);
    }

    @Test
    void unlimitedNeverWaitsAndAnInterruptEndsAWait() throws Exception {
        Throttle.UNLIMITED.acquire(Long.MAX_VALUE / 2, () -> {
            throw new AssertionError("no wait expected");
        });
        Throttle slow = new Throttle(16_384);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> slow.acquire(1_000_000, () -> { })).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).as("the flag is left clear for the H2 store's sake").isFalse();
    }
}
