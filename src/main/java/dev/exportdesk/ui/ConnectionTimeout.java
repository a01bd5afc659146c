package dev.exportdesk.ui;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a connection test from the console may take: a host that accepts and never answers
 * must not keep the screen busy (drivers' own timeouts are longer, or absent).
 */
public final class ConnectionTimeout {
    public static final Duration LIMIT = Duration.ofSeconds(10);

    private ConnectionTimeout() {
    }

    /** Runs {@code work} (from a background task) and gives up after {@link #LIMIT}. */
    public static <T> T call(Callable<T> work) throws Exception {
        return call(work, LIMIT.toMillis());
    }

    /**
     * Runs {@code work} on a daemon thread of its own and gives up after {@code millis}. The thread
     * given up on is left to end by itself, never interrupted: it may be writing the audit entry to
     * the H2 state store, whose file channel an interrupt closes.
     */
    public static <T> T call(Callable<T> work, long millis) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "exportdesk-connection-test");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<T> f = one.submit(work);
            try {
                return f.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("gave up after " + millis / 1000.0 + " s");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        } finally {
            one.shutdown();
        }
    }
}
