package dev.exportdesk.cli;

import dev.exportdesk.store.StoreUrl;
import dev.exportdesk.store.TeamIdentity;
import dev.exportdesk.store.TeamStoreConfig;
import dev.exportdesk.store.TeamStores;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        + "shared PostgreSQL database).", subcommands = {StoreCommand.Init.class})
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
            Optional<String> fromEnv = Optional.ofNullable(env.get(TeamStoreConfig.PASSWORD_ENV)).filter(s -> !s.isEmpty());
            String password = fromEnv.isPresent() ? fromEnv.get() : readPassword();
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
                    + (fromEnv.isPresent() ? "the password is taken from $" + TeamStoreConfig.PASSWORD_ENV + " each time"
                    : "the password is kept encrypted in " + TeamStoreConfig.file(workspace)));
            return ExitCodes.OK;
        }

        private String readPassword() throws IOException {
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
}
