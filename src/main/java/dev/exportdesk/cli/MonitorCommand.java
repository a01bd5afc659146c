package dev.exportdesk.cli;

import dev.exportdesk.alert.AlertTimer;
import dev.exportdesk.contract.DurationText;
import dev.exportdesk.metrics.ObservabilityServer;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code monitor}: a long-running process that serves {@code /metrics} and {@code /health} and
 * evaluates alerts on a timer, so a stopped schedule is noticed with no run. In team mode each
 * worker hosts the same {@link ObservabilityServer}; on a solo workspace this process holds the
 * workspace like an open console does.
 */
@Command(name = "monitor", description = "Serve Prometheus metrics (/metrics) and a health check (/health), and "
        + "raise and send alerts every --interval, until stopped (Ctrl-C, SIGTERM).")
final class MonitorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ObservabilityOptions observability;

    @Override
    public Integer call() throws InterruptedException {
        observability.interval();
        InetSocketAddress bind = observability.bindAddress(Optional.of(ObservabilityOptions.DEFAULT_ADDRESS)).orElseThrow();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // SIGTERM: stop the loop, then give it the time to close the server and the workspace before the JVM halts
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exportdesk-monitor-stop");
        try (CliContext ctx = CliContext.open(spec)) {
            Optional<ObservabilityServer> started = observability.start(bind, ctx);
            if (started.isEmpty()) {
                return ExitCodes.UNAVAILABLE;
            }
            try (ObservabilityServer server = started.get()) {
                Runtime.getRuntime().addShutdownHook(hook);
                try (AlertTimer timer = observability.alerts(ctx)) {
                    spec.commandLine().getOut().println("serving " + ObservabilityOptions.url(server) + "; alerts every "
                            + DurationText.format(observability.interval()));
                    spec.commandLine().getOut().flush();
                    stop.await();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // already shutting down: the hook has run
                    }
                }
            }
            return ExitCodes.OK;
        } finally {
            closed.countDown();
        }
    }
}
