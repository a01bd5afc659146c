package dev.exportdesk.cli;

import dev.exportdesk.ledger.LedgerKeys;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.StoreSchema;
import dev.exportdesk.store.StoreUrl;
import dev.exportdesk.store.TeamActivity;
import dev.exportdesk.store.TeamIdentity;
import dev.exportdesk.store.TeamStoreConfig;
import dev.exportdesk.store.TeamStoreCopy;
import dev.exportdesk.store.TeamStores;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code store init|status|migrate|copy-to}: where the workspace keeps its state (docs/team-mode.md).
 * These are the workspace owner's (administrator's) actions: the console has no way to them.
 */
@Command(name = "store", description = "Choose, inspect and upgrade the workspace's state store (team mode: a "
        + "shared PostgreSQL database).", subcommands = {StoreCommand.Init.class, StoreCommand.Status.class,
                StoreCommand.Migrate.class, StoreCommand.CopyTo.class})
final class StoreCommand {

    @Command(name = "init", description = "Make this workspace a team workspace on the PostgreSQL store at URL "
            + "(created on first use, joined afterwards). The password comes from $" + TeamStoreConfig.PASSWORD_ENV
            + " (not kept), or is read from stdin or prompted for without echo and kept encrypted under the master key.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URL", description = "jdbc:postgresql://HOST[:PORT]/DATABASE[?sslmode=verify-full&…]")
        String url;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The database role to sign in as.")
        String user;

        @Override
        public Integer call() throws IOException {
            StoreUrl.check("the store URL", url); // refused before a password is asked for
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            Map<String, String> env = root.env();
            Optional<String> fromEnv = passwordFromEnv(env);
            String password = fromEnv.isPresent() ? fromEnv.get() : readPassword(user);
            if (password == null || password.isEmpty()) {
                spec.commandLine().getErr().println("error: no password given for the team store; nothing written");
                return ExitCodes.INVALID_INPUT;
            }
            Path workspace = root.workspaceRoot();
            Logging.useWorkspace(workspace);
            TeamIdentity identity = TeamStores.init(workspace, env, url, user, password, fromEnv.isEmpty(),
                    CliContext.actor(env));
            spec.commandLine().getOut().println("workspace " + workspace + " now keeps its state in the team store "
                    + url + " (store " + identity.storeId() + "); "
                    + (fromEnv.isPresent() ? "the password is taken from the environment each time"
                    : "the password is kept encrypted in " + TeamStoreConfig.file(workspace)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "Where the workspace keeps its state: mode, store, schema version, "
            + "pending migrations, and the team's workers and live leases.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            PrintWriter out = spec.commandLine().getOut();
            Optional<TeamStores.Inspected> team = TeamStores.inspect(root.workspaceRoot(), root.env());
            if (team.isEmpty()) {
                try (CliContext ctx = CliContext.open(spec)) {
                    out.println("mode:     solo (embedded H2, one process at a time)");
                    out.println("store:    " + ctx.workspace().storeFile());
                    print(out, ctx.workspace().store().schema().status());
                }
                return ExitCodes.OK;
            }
            try (TeamStores.Inspected t = team.get()) {
                out.println("mode:     team (shared PostgreSQL, no workspace lock)");
                out.println("store:    " + t.url() + " as " + t.user());
                out.println("identity: " + t.identity().map(i -> i.storeId() + ", master key accepted (" + i.keySource()
                        + ")").orElse("none yet (exportdesk store migrate gives it one)"));
                print(out, t.store().schema().status());
                TeamActivity.read(t.store()).ifPresent(a -> out.println("workers:  " + a.workers() + " registered, last "
                        + "heartbeat " + (a.lastHeartbeat() == null ? "never" : a.lastHeartbeat()) + "; "
                        + a.liveLeases() + " live run lease(s), " + a.liveRanges() + " key range(s) of split runs "
                        + "being captured"));
            }
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, StoreSchema.Status s) {
            out.println("schema:   " + (s.current() == null ? "none" : s.current()) + " (this build: " + s.latest() + ")");
            out.println("pending:  " + (s.pending().isEmpty() ? "none" : String.join(", ", s.pending())
                    + " (exportdesk store migrate)"));
        }
    }

    @Command(name = "migrate", description = "Apply this build's pending schema migrations to the team store "
            + "(administrators; stop or upgrade the other machines first). A solo store migrates when opened.")
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            PrintWriter out = spec.commandLine().getOut();
            Logging.useWorkspace(root.workspaceRoot());
            if (TeamStoreConfig.resolve(root.workspaceRoot(), root.env()).isEmpty()) {
                try (CliContext ctx = CliContext.open(spec)) {
                    out.println("solo store at schema version " + ctx.workspace().store().schema().status().current()
                            + " (a solo store is migrated whenever it is opened)");
                }
                return ExitCodes.OK;
            }
            StoreSchema.Status[] steps = TeamStores.migrate(root.workspaceRoot(), root.env(),
                    CliContext.actor(root.env()));
            out.println(steps[0].pending().isEmpty() ? "the team store is at schema version " + steps[1].current()
                    + "; nothing to migrate" : "migrated the team store from schema version " + steps[0].current()
                    + " to " + steps[1].current() + " (" + String.join(", ", steps[0].pending()) + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "copy-to", description = "Move this solo workspace's store into the empty PostgreSQL database at "
            + "URL and make the workspace a team workspace on it: every table, secrets re-encrypted under the team's "
            + "master key ($EXPORTDESK_TEAM_MASTER_SECRET or $EXPORTDESK_TEAM_KEY_FILE when the team's differs), the "
            + "ledger with its signing key. The H2 file stays as it was, unused.")
    static final class CopyTo implements Callable<Integer> {
        static final String TEAM_SECRET_ENV = "EXPORTDESK_TEAM_MASTER_SECRET";
        static final String TEAM_KEY_FILE_ENV = "EXPORTDESK_TEAM_KEY_FILE";
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URL", description = "jdbc:postgresql://HOST[:PORT]/DATABASE of an empty database.")
        String url;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The database role to sign in as.")
        String user;

        @Override
        public Integer call() throws IOException {
            StoreUrl.check("the store URL", url);
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            Map<String, String> env = root.env();
            Optional<String> fromEnv = passwordFromEnv(env);
            String password = fromEnv.isPresent() ? fromEnv.get() : readPassword(user);
            if (password == null || password.isEmpty()) {
                spec.commandLine().getErr().println("error: no password given for the team store; nothing written");
                return ExitCodes.INVALID_INPUT;
            }
            try (CliContext ctx = CliContext.open(spec)) {
                Path workspace = ctx.workspace().root();
                byte[][] ledger = LedgerKeys.loadOrCreate(workspace.resolve("ledger")).encoded();
                TeamStoreCopy.Result result = TeamStoreCopy.copy(ctx.workspace(), teamEnv(env), url, user, password,
                        fromEnv.isEmpty(), new TeamIdentity.LedgerKeyPair(ledger[0], ledger[1]),
                        key -> Map.of("secrets", SecretVault.reseal(MasterKey.load(workspace, env),
                                new MasterKey(key.source(), key.key()))), ctx.actor());
                long rows = result.rows().values().stream().mapToLong(Long::longValue).sum();
                spec.commandLine().getOut().println("copied " + rows + " rows of " + result.rows().size() + " tables "
                        + "into the team store " + url + " (store " + result.identity().storeId() + "); this workspace "
                        + "now uses it. " + ctx.workspace().storeFile() + " is left as it was, unused.");
                return ExitCodes.OK;
            }
        }

        /** The team's key settings, when they differ from the solo workspace's. */
        private static Map<String, String> teamEnv(Map<String, String> env) {
            String secret = env.get(TEAM_SECRET_ENV);
            String file = env.get(TEAM_KEY_FILE_ENV);
            if ((secret == null || secret.isEmpty()) && (file == null || file.isEmpty())) {
                return env;
            }
            Map<String, String> team = new HashMap<>(env);
            team.remove(MasterKey.MASTER_SECRET_ENV);
            team.remove(MasterKey.KEY_FILE_ENV);
            if (secret != null && !secret.isEmpty()) {
                team.put(MasterKey.MASTER_SECRET_ENV, secret);
            } else {
                team.put(MasterKey.KEY_FILE_ENV, file);
            }
            return team;
        }
    }

    private static Optional<String> passwordFromEnv(Map<String, String> env) {
        return TeamStoreConfig.passwordFromEnv(env);
    }

    /** From the terminal without echo, else the first line of stdin; never from the command line. */
    private static String readPassword(String user) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] chars = console.readPassword("password for %s: ", user);
            return chars == null ? null : new String(chars);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? null : line.strip();
    }
}
