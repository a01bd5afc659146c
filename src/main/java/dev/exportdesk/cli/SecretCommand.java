package dev.exportdesk.cli;

import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.EnvAllowRepository;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code secret set|scope|list|remove|allow-env|revoke-env}: destination credentials stored
 * encrypted in the workspace, each bound to the one destination it may be sent to, and the
 * environment variables contracts may name, each bound the same way.
 */
@Command(name = "secret", description = "Store destination credentials encrypted in the workspace (AES-256-GCM), "
        + "each bound to the destination it may be sent to.",
        subcommands = {SecretCommand.Set.class, SecretCommand.Scope.class, SecretCommand.ListSecrets.class,
                SecretCommand.Remove.class, SecretCommand.AllowEnv.class, SecretCommand.RevokeEnv.class})
final class SecretCommand {

    @Command(name = "set", description = "Store a secret. The value is read from --from-file, from stdin when piped, "
            + "or prompted for without echo; it is never taken from the command line.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Secret name, referenced by contracts (e.g. acme-sftp).")
        String name;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "Where the secret may be "
                + "sent: sftp://HOST[:PORT], s3://HOST[:PORT]/BUCKET, s3://aws/BUCKET, webhook:https://HOST[:PORT] "
                + "(an alert webhook's signing key), smtp://HOST[:PORT] (the alert SMTP password), openpgp:sign (our "
                + "OpenPGP signing key or its passphrase, used on this host only, for every partner), "
                + "openpgp:sign:PARTNER (the same, for that partner's contracts only) or masking:PARTNER (the key that "
                + "pseudonymises that partner's columns, used on this host only).")
        String scope;

        @Option(names = "--from-file", paramLabel = "FILE", description = "Read the value from a file (private keys).")
        Path file;

        @Override
        public Integer call() throws IOException {
            SecretScope.parse(scope); // a bad scope is refused before the value is read
            String value = readValue();
            if (value == null || value.isEmpty()) {
                spec.commandLine().getErr().println("no value given; nothing stored");
                return ExitCodes.INVALID_INPUT;
            }
            try (CliContext ctx = CliContext.open(spec)) {
                ctx.vault().set(name, value, scope, ctx.actor());
                spec.commandLine().getOut().println("stored secret \"" + name + "\" for " + SecretScope.parse(scope)
                        + " (encrypted in " + ctx.workspace().root() + ")");
                return ExitCodes.OK;
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

    @Command(name = "scope", description = "Bind a stored secret to the one destination it may be sent to "
            + "(secrets stored before scopes existed are refused until this is done).")
    static final class Scope implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SCOPE", description = "sftp://HOST[:PORT], s3://HOST[:PORT]/BUCKET or "
                + "s3://aws/BUCKET.")
        String scope;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                ctx.vault().scope(name, scope, ctx.actor());
                spec.commandLine().getOut().println("secret \"" + name + "\" may now be sent to "
                        + SecretScope.parse(scope) + " only");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "allow-env", description = "Allow contracts to name environment variable NAME (password_env, "
            + "*_key_env …) for one destination or source; nothing is allowed by default, EXPORTDESK_* never.")
    static final class AllowEnv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String variable;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "sftp://HOST[:PORT], "
                + "s3://HOST[:PORT]/BUCKET, s3://aws/BUCKET or source:NAME.")
        String scope;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                boolean added = ctx.envAllowList().allow(variable, scope, ctx.actor());
                spec.commandLine().getOut().println((added ? "allowed " : "already allowed: ") + variable + " for "
                        + SecretScope.parse(scope));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke-env", description = "Withdraw an allow-env allowance.")
    static final class RevokeEnv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String variable;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE")
        String scope;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                boolean removed = ctx.envAllowList().revoke(variable, scope, ctx.actor());
                spec.commandLine().getOut().println(removed ? "revoked " + variable + " for " + SecretScope.parse(scope)
                        : variable + " was not allowed for " + SecretScope.parse(scope));
                return removed ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
            }
        }
    }

    @Command(name = "list", description = "Stored secrets with their scopes, and allowed environment variables "
            + "(names only, never values).")
    static final class ListSecrets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                PrintWriter out = spec.commandLine().getOut();
                java.util.List<SecretVault.Entry> entries = ctx.vault().list();
                if (entries.isEmpty()) {
                    out.println("no secrets stored");
                } else {
                    out.printf("%-32s %-44s %-8s %s%n", "SECRET", "SCOPE", "KEY", "UPDATED");
                }
                for (SecretVault.Entry e : entries) {
                    out.printf("%-32s %-44s %-8s %s%n", e.name(),
                            e.scope() == null ? "(none: refused; run `exportdesk secret scope " + e.name() + " SCOPE`)"
                                    : e.scope(), e.keySource(), Format.time(e.updatedAt()));
                }
                java.util.List<EnvAllowRepository.Row> allowed = ctx.envAllowList().list();
                out.println();
                if (allowed.isEmpty()) {
                    out.println("no environment variables allowed (exportdesk secret allow-env NAME --scope SCOPE)");
                } else {
                    out.printf("%-32s %-44s %s%n", "ALLOWED ENV", "SCOPE", "ALLOWED BY");
                }
                for (EnvAllowRepository.Row r : allowed) {
                    out.printf("%-32s %-44s %s%n", r.variable(), r.scope(), r.createdBy());
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
            try (CliContext ctx = CliContext.open(spec)) {
                boolean removed = ctx.vault().remove(name, ctx.actor());
                spec.commandLine().getOut().println(removed ? "removed secret \"" + name + "\""
                        : "no secret named \"" + name + "\"");
                return removed ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
            }
        }
    }
}
