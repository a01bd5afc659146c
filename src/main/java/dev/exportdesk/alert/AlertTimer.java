package dev.exportdesk.alert;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ticks an {@link AlertService} every {@code interval} on a daemon thread, the first tick at once,
 * until closed: what {@code exportdesk monitor} runs and what a long-running worker starts beside
 * its {@code ObservabilityServer}, so freshness is evaluated with no run at all.
 */
public final class AlertTimer implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private AlertTimer(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** {@code onTick} hears each tick's outcome (on the timer's thread; keep it short). */
    public static AlertTimer start(AlertService alerts, Duration interval, Consumer<AlertService.Tick> onTick) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exportdesk-alerts");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> onTick.accept(alerts.tick()), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AlertTimer(timer);
    }

    /** No more ticks; one in progress is interrupted (its sends are bounded and recorded as they end). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
