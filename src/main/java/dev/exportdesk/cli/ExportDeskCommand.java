package dev.exportdesk.cli;

import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code exportdesk}: with no command it opens the desktop console; otherwise see the subcommands. */
@Command(name = "exportdesk", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "ExportDesk 0.1.0",
        description = "Incremental, verifiable data exports to partners.%n"
                + "Run without a command to open the desktop console.",
        footer = {"", "Workspace: --workspace DIR, else $EXPORTDESK_HOME, else ~/.exportdesk.",
                "Exit codes: 0 ok, 1 run failed, 2 usage, 3 invalid input, 4 workspace busy, 5 schema drift,",
                "            6 verification failed, 7 source, destination or team store unavailable,",
                "            8 state store lost, 9 state store schema newer or waiting for `store migrate`."})
public final class ExportDeskCommand implements Callable<Integer> {
    /**
     * The subcommands, in the order {@code --help} lists them. They are not in the annotation: picocli
     * builds the model of every subcommand it is given, which took 0.3–0.4 s of every command's start
     * (BENCHMARKS.md), so {@link #commandLine} gives it only the one a command line names.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, ContractCommand.class,
            RunCommand.class, ResumeCommand.class, StatusCommand.class, VerifyCommand.class, VerifyDeliveryCommand.class,
            LedgerCommand.class, ReportCommand.class, SecretCommand.class, SourceCommand.class, DestinationCommand.class,
            AckCommand.class, CorrectCommand.class, LogsCommand.class, StoreCommand.class, AlertsCommand.class,
            MonitorCommand.class, WorkerCommand.class, RequestCommand.class, ResyncCommand.class, PruneCommand.class,
            CommandLine.HelpCommand.class);
    private static final Set<String> HASHING = Set.of("run", "resume", "verify", "verify-delivery", "correct",
            "worker", "resync");

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Workspace directory (state store, staging, logs).")
    Path workspace;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Log progress details to stderr.")
    boolean verbose;

    private final Map<String, String> env;
    private final Consumer<Path> console;

    public ExportDeskCommand(Map<String, String> env, Consumer<Path> console) {
        this.env = env;
        this.console = console;
    }

    Map<String, String> env() {
        return env;
    }

    Path workspaceRoot() {
        return Workspace.resolveRoot(Optional.ofNullable(workspace), env);
    }

    CliContext open() {
        Logging.verbose(verbose);
        return CliContext.open(workspaceRoot(), env);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when the first word after
     * the root's own options is one, else with all of them (no command, help, a misspelt command:
     * picocli then lists or suggests them as always).
     */
    static CommandLine commandLine(ExportDeskCommand root, String[] args) {
        CommandLine cli = new CommandLine(root);
        String named = subcommandNamed(args);
        for (Class<?> c : SUBCOMMANDS) {
            String name = name(c);
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, c);
            }
        }
        return cli;
    }

    /**
     * The first word after the root's options when it names a subcommand, else null. {@code help}
     * is null too: it describes the other subcommands, so they must all be there.
     */
    static String subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--workspace")) {
                i++;
            } else if (!a.startsWith("--workspace=") && !a.equals("-v") && !a.equals("--verbose")) {
                return !a.equals("help") && SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(a)) ? a : null;
            }
        }
        return null;
    }

    /** Whether the subcommand {@code named} hashes rows or files in bulk (then SHA-256 is warmed up at its start). */
    static boolean hashesInBulk(String named) {
        return named != null && HASHING.contains(named);
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    /** No command: the desktop console. */
    @Override
    public Integer call() {
        try {
            // the console logs where the CLI does, not to a shared exportdesk.log in the temporary folder
            Logging.useWorkspace(workspaceRoot());
            Logging.verbose(verbose);
            console.accept(workspaceRoot());
            return ExitCodes.OK;
        } catch (UnsupportedOperationException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
