package dev.exportdesk.cli;

import dev.exportdesk.secret.SecretException;
import dev.exportdesk.secret.SecretVault;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secret set|list|remove}: destination credentials stored encrypted in the workspace. */
@Command(name = "secret", description = "Store destination credentials encrypted in the workspace (AES-256-GCM).",
        subcommands = {SecretCommand.Set.class, SecretCommand.ListSecrets.class, SecretCommand.Remove.class})
final class SecretCommand {

    static CliContext open(CommandSpec spec) {
        return ((ExportDeskCommand) spec.root().userObject()).open();
    }

    @Command(name = "set", description = "Store a secret. The value is read from --from-file, from stdin when piped, "
            + "or prompted for without echo; it is never taken from the command line.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Secret name, referenced by contracts (e.g. acme-sftp).")
        String name;

        @Option(names = "--from-file", paramLabel = "FILE", description = "Read the value from a file (private keys).")
        Path file;

        @Override
        public Integer call() throws IOException {
            String value = readValue();
            if (value == null || value.isEmpty()) {
                spec.commandLine().getErr().println("no value given; nothing stored");
                return ExitCodes.INVALID_INPUT;
            }
            try (CliContext ctx = open(spec)) {
                ctx.vault().set(name, value, ctx.actor());
                spec.commandLine().getOut().println("stored secret \"" + name + "\" (encrypted in "
                        + ctx.workspace().root() + ")");
                return ExitCodes.OK;
            } catch (SecretException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
        }

        private String readValue() throws IOException {
            if (file != null) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            Console console = System.console();
            if (console != null) {
                char[] chars = console.readPassword("value for %s: ", name);
                return chars == null ? null : new String(chars);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(line);
            }
            return sb.toString();
        }
    }

    @Command(name = "list", description = "Names of stored secrets (never their values).")
    static final class ListSecrets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = open(spec)) {
                java.util.List<SecretVault.Entry> entries = ctx.vault().list();
                if (entries.isEmpty()) {
                    spec.commandLine().getOut().println("no secrets stored");
                }
                for (SecretVault.Entry e : entries) {
                    spec.commandLine().getOut().printf("%-32s %-8s %s%n", e.name(), e.keySource(),
                            Format.time(e.updatedAt()));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "remove", description = "Delete a stored secret.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = open(spec)) {
                boolean removed = ctx.vault().remove(name, ctx.actor());
                spec.commandLine().getOut().println(removed ? "removed secret \"" + name + "\""
                        : "no secret named \"" + name + "\"");
                return removed ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
            }
        }
    }
}
