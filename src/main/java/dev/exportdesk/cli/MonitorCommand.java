package dev.exportdesk.cli;

import dev.exportdesk.alert.AlertService;
import dev.exportdesk.alert.AlertTimer;
import dev.exportdesk.contract.DurationText;
import dev.exportdesk.metrics.ObservabilityServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464",
            description = "Where to serve metrics and health (default 127.0.0.1:9464; port 0 picks a free one).")
    String address;

    @Option(names = "--metrics-allow-remote", description = "Allow a non-loopback --metrics-address (the endpoint "
            + "has no authentication: put it behind a firewall or a proxy that adds it).")
    boolean allowRemote;

    @Option(names = "--interval", defaultValue = "30s", description = "How often alerts are evaluated (default 30s).")
    String interval;

    @Option(names = "--worker-silence", defaultValue = "2m", description = "A worker without a heartbeat this long is "
            + "reported silent (team mode; default 2m).")
    String workerSilence;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = duration("--interval", interval, Duration.ofSeconds(1), Duration.ofHours(1));
        Duration silence = duration("--worker-silence", workerSilence, Duration.ofSeconds(10), Duration.ofDays(1));
        InetSocketAddress bind = parse(address);
        if (!bind.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new ParameterException(spec.commandLine(), "--metrics-address " + bind.getAddress().getHostAddress()
                    + " is not a loopback address; the endpoint has no authentication, so say so with "
                    + "--metrics-allow-remote");
        }
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
        try (CliContext ctx = CliContext.open(spec);
             ObservabilityServer server = start(bind, ctx, silence)) {
            if (server == null) {
                return ExitCodes.UNAVAILABLE;
            }
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter err = spec.commandLine().getErr();
            try (AlertTimer timer = AlertTimer.start(new AlertService(ctx.services(), silence), every, t -> {
                if (t.error() != null) {
                    err.println("alerts: " + dev.exportdesk.text.Text.safe(t.error()));
                }
            })) {
                spec.commandLine().getOut().println("serving http://" + server.address().getHostString() + ":"
                        + server.address().getPort() + "/metrics and /health; alerts every "
                        + DurationText.format(every));
                spec.commandLine().getOut().flush();
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook has run
                }
            }
            return ExitCodes.OK;
        } finally {
            closed.countDown();
        }
    }

    /** Null (said on stderr) when the address cannot be bound, e.g. the port is taken. */
    private ObservabilityServer start(InetSocketAddress bind, CliContext ctx, Duration silence) {
        try {
            return ObservabilityServer.start(bind, allowRemote, ctx.services(), silence);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return null;
        }
    }

    private Duration duration(String option, String text, Duration min, Duration max) {
        try {
            Duration d = DurationText.parse(text);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + DurationText.format(min) + " and "
                        + DurationText.format(max));
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon < 0 || host.isEmpty() || port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--metrics-address: give HOST:PORT, e.g. 127.0.0.1:9464 "
                    + "(got \"" + dev.exportdesk.text.Text.safe(text) + "\")");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-address: unknown host \""
                    + dev.exportdesk.text.Text.safe(host) + "\"");
        }
    }
}
