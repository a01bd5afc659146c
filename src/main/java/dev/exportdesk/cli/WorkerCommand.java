package dev.exportdesk.cli;

import dev.exportdesk.contract.DurationText;
import dev.exportdesk.engine.TeamWorker;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
        try (CliContext ctx = CliContext.open(spec)) {
            if (ctx.workspace().mode() != StoreMode.TEAM) {
                spec.commandLine().getErr().println("exportdesk worker needs a team store (PostgreSQL); this "
                        + "workspace embeds H2. Point it at one with `exportdesk store init jdbc:postgresql://…`.");
                return ExitCodes.USAGE;
            }
            PrintWriter err = spec.commandLine().getErr();
            TeamWorker worker = new TeamWorker(ctx.engineContext(), settings, line -> {
                synchronized (err) {
                    err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + Text.safe(line));
                    err.flush();
                }
            });
            // the signal replaces the JVM's shutdown on SIGTERM: the worker parks, releases and exits 0
            Signal.handle(new Signal("TERM"), s -> worker.stop());
            Signal.handle(new Signal("INT"), s -> worker.stop());
            worker.run();
            return ExitCodes.OK;
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
