package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection test the console gave up on is left to finish, never interrupted: the thread may be
 * writing the audit entry to the H2 state store, whose file channel an interrupt closes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionTimeoutTest {

    @Test
    void givesUpWithoutInterruptingTheWork() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        assertThatThrownBy(() -> ConnectionTimeout.call(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                interrupted.set(true);
            } finally {
                finished.countDown();
            }
            return "late";
        }, 50)).isInstanceOf(TimeoutException.class).hasMessage("gave up after 0.05 s");
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isFalse();
    }
}
