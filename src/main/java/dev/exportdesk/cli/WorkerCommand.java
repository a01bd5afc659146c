package dev.exportdesk.cli;

import dev.exportdesk.alert.AlertTimer;
import dev.exportdesk.contract.DurationText;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.team.TeamWorker;
import dev.exportdesk.metrics.ObservabilityServer;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(name = "worker", description = "Team mode: work for the workspace's shared PostgreSQL store until stopped "
        + "(SIGTERM or Ctrl-C): claim scheduled runs, requested runs and runs whose worker died, each under a "
        + "lease. SIGTERM parks the current runs and releases their leases; exit code 0.")
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "N", description = "Unique worker name (default: HOST-PID).")
    String name;

    @Option(names = "--slots", paramLabel = "K", defaultValue = "1", description = "Runs executed at once "
            + "(default ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--lease-timeout", paramLabel = "D", defaultValue = "30s", description = "How long a lease "
            + "lives without a heartbeat before another worker may take the run over (default ${DEFAULT-VALUE}).")
    String leaseTimeout;

    @Option(names = "--poll-interval", paramLabel = "D", defaultValue = "2s", hidden = true,
            description = "How often the store is asked for work while there is none.")
    String poll;

    @Mixin
    ObservabilityOptions observability;

    @Override
    public Integer call() throws InterruptedException {
        String host = host();
        TeamWorker.Settings settings;
        try {
            String n = name == null ? host + "-" + ProcessHandle.current().pid() : name;
            if (!n.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ParameterException(spec.commandLine(), "--name: 1 to 64 letters, digits, '.', '_' or '-'");
            }
            settings = new TeamWorker.Settings(n, host, slots, duration("--lease-timeout", leaseTimeout),
                    duration("--poll-interval", poll));
        } catch (dev.exportdesk.engine.EngineException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        observability.interval();
        Optional<InetSocketAddress> metrics = observability.bindAddress(Optional.empty());
        // installed before the store is opened: a SIGTERM while starting up still ends in a clean exit 0
        AtomicReference<TeamWorker> running = new AtomicReference<>();
        AtomicBoolean stopRequested = new AtomicBoolean();
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                stopRequested.set(true);
                TeamWorker w = running.get();
                if (w != null) {
                    w.stop();
                }
            });
        }
        try (CliContext ctx = CliContext.open(spec)) {
            if (ctx.workspace().mode() != StoreMode.TEAM) {
                spec.commandLine().getErr().println("exportdesk worker needs a team store (PostgreSQL); this "
                        + "workspace embeds H2. Point it at one with `exportdesk store init jdbc:postgresql://…`.");
                return ExitCodes.USAGE;
            }
            PrintWriter err = spec.commandLine().getErr();
            Optional<ObservabilityServer> server = Optional.empty();
            if (metrics.isPresent()) {
                server = observability.start(metrics.get(), ctx);
                if (server.isEmpty()) {
                    return ExitCodes.UNAVAILABLE;
                }
                err.println("serving " + ObservabilityOptions.url(server.get()));
            }
            // a null resource is skipped at close: the server exists only when --metrics-address was given
            try (ObservabilityServer served = server.orElse(null);
                 AlertTimer alerts = observability.alerts(ctx)) {
                EngineContext engine = server.map(srv -> ctx.engineContext().withEvents(srv.listener()))
                        .orElse(ctx.engineContext());
                TeamWorker worker = new TeamWorker(engine, settings, line -> {
                    synchronized (err) {
                        err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + Text.safe(line));
                        err.flush();
                    }
                });
                running.set(worker);
                if (stopRequested.get()) {
                    return ExitCodes.OK;
                }
                worker.run();
                return ExitCodes.OK;
            }
        }
    }

    private Duration duration(String option, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                h = "localhost";
            }
        }
        h = h.replaceAll("[^A-Za-z0-9._-]", "_");
        return h.length() > 40 ? h.substring(0, 40) : h;
    }
}
