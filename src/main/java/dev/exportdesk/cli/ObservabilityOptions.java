package dev.exportdesk.cli;

import dev.exportdesk.alert.AlertService;
import dev.exportdesk.alert.AlertTimer;
import dev.exportdesk.contract.DurationText;
import dev.exportdesk.metrics.ObservabilityServer;
import dev.exportdesk.text.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The metrics endpoint and alert timer options that {@code monitor} and {@code worker} share, and
 * starting both: one set of rules for the bind address (loopback unless said otherwise, because the
 * endpoint has no authentication) and for the durations.
 */
final class ObservabilityOptions {
    static final String DEFAULT_ADDRESS = "127.0.0.1:9464";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", description = "Where to serve /metrics "
            + "(Prometheus) and /health (port 0 picks a free one). monitor: default " + DEFAULT_ADDRESS
            + "; worker: none unless given.")
    String address;

    @Option(names = "--metrics-allow-remote", description = "Allow a non-loopback --metrics-address (the endpoint "
            + "has no authentication: put it behind a firewall or a proxy that adds it).")
    boolean allowRemote;

    @Option(names = "--interval", defaultValue = "30s", description = "How often alerts are evaluated (default 30s).")
    String interval;

    @Option(names = "--worker-silence", defaultValue = "2m", description = "A worker without a heartbeat this long is "
            + "reported silent (team mode; default 2m).")
    String workerSilence;

    Duration interval() {
        return duration("--interval", interval, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    Duration workerSilence() {
        return duration("--worker-silence", workerSilence, Duration.ofSeconds(10), Duration.ofDays(1));
    }

    /** The address to bind, {@code fallback} when none was given (empty: serve nothing). */
    Optional<InetSocketAddress> bindAddress(Optional<String> fallback) {
        Optional<String> text = Optional.ofNullable(address).or(() -> fallback);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        InetSocketAddress bind = parse(text.get());
        if (!bind.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new ParameterException(spec.commandLine(), "--metrics-address " + bind.getAddress().getHostAddress()
                    + " is not a loopback address; the endpoint has no authentication, so say so with "
                    + "--metrics-allow-remote");
        }
        return Optional.of(bind);
    }

    /** The server, or empty (said on stderr) when the address cannot be bound, e.g. the port is taken. */
    Optional<ObservabilityServer> start(InetSocketAddress bind, CliContext ctx) {
        try {
            return Optional.of(ObservabilityServer.start(bind, allowRemote, ctx.services(), workerSilence()));
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Evaluates and sends alerts every {@code --interval}, saying on stderr when a pass fails. */
    AlertTimer alerts(CliContext ctx) {
        PrintWriter err = spec.commandLine().getErr();
        return AlertTimer.start(new AlertService(ctx.services(), workerSilence()), interval(), t -> {
            if (t.error() != null) {
                synchronized (err) {
                    err.println("alerts: " + Text.safe(t.error()));
                    err.flush();
                }
            }
        });
    }

    static String url(ObservabilityServer server) {
        return "http://" + server.address().getHostString() + ":" + server.address().getPort() + "/metrics and /health";
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
            throw new ParameterException(spec.commandLine(), "--metrics-address: give HOST:PORT, e.g. " + DEFAULT_ADDRESS
                    + " (got \"" + Text.safe(text) + "\")");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-address: unknown host \"" + Text.safe(host) + "\"");
        }
    }
}
