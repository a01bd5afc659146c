package dev.exportdesk.cli;

import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import dev.exportdesk.engine.delivery.DestinationService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code destination test CONTRACT} (can we reach, write, read back and delete at the partner?) and
 * the named destinations contracts may send to: {@code add|set|list|test-named|remove}, the workspace
 * owner's (this command line) and console administrators' business.
 */
@Command(name = "destination", description = "Check a contract's destination; manage named destinations.",
        subcommands = {DestinationCommand.Test.class, DestinationCommand.Add.class, DestinationCommand.Change.class,
                DestinationCommand.ListDestinations.class, DestinationCommand.TestNamed.class,
                DestinationCommand.Remove.class})
final class DestinationCommand {
    /** A definition file larger than this is not a destination object. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    @Command(name = "test", description = "Connect, write a probe file, read it back, delete it; report latency "
            + "and throughput.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CONTRACT")
        String contract;

        @Option(names = "--bytes", defaultValue = "1048576", description = "Probe size in bytes (default 1 MiB).")
        int bytes;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                return print(spec, ctx.probe().test(contract, bytes));
            }
        }
    }

    @Command(name = "test-named", description = "Probe a named destination as `destination test` does a contract's.")
    static final class TestNamed implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--bytes", defaultValue = "1048576", description = "Probe size in bytes (default 1 MiB).")
        int bytes;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                return print(spec, ctx.destinations().test(name, bytes));
            }
        }
    }

    static int print(CommandSpec spec, DestinationProbe.Result r) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("destination " + r.destination());
        out.printf("  connect+list %s, write %s (%.1f MiB/s), read back %s, delete %s%n", ms(r.connect()),
                ms(r.write()), r.writeMiBps(), ms(r.read()), ms(r.delete()));
        if (r.error() != null) {
            spec.commandLine().getErr().println("FAILED: " + r.error());
            return ExitCodes.UNAVAILABLE;
        }
        out.println("  ok: probe of " + Format.bytes(r.bytes()) + " written, hash verified, deleted");
        return ExitCodes.OK;
    }

    private static String ms(Duration d) {
        return d.toMillis() + " ms";
    }

    /** The definition and credential files shared by add and set; credentials never come from the command line. */
    abstract static class Save implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The name contracts use (\"destination\": \"NAME\").")
        String name;

        @Option(names = "--from-file", required = true, paramLabel = "FILE", description = "The destination object, "
                + "exactly as a contract's inline \"destination\" (docs/contracts.md).")
        Path file;

        @Option(names = "--password-file", paramLabel = "FILE", description = "SFTP password, stored in the vault.")
        Path password;

        @Option(names = "--private-key-file", paramLabel = "FILE", description = "SFTP private key, stored in the vault.")
        Path privateKey;

        @Option(names = "--access-key-id-file", paramLabel = "FILE", description = "S3 access key id, stored in the vault.")
        Path accessKeyId;

        @Option(names = "--secret-access-key-file", paramLabel = "FILE",
                description = "S3 secret access key, stored in the vault.")
        Path secretAccessKey;

        abstract String apply(DestinationService destinations, String json, Credentials credentials);

        @Override
        public Integer call() {
            String json = read(file, "--from-file");
            Credentials credentials = new Credentials(read(password, "--password-file"),
                    read(privateKey, "--private-key-file"), read(accessKeyId, "--access-key-id-file"),
                    read(secretAccessKey, "--secret-access-key-file"));
            try (CliContext ctx = CliContext.open(spec)) {
                String done = apply(ctx.destinations(), json, credentials);
                spec.commandLine().getOut().println(done + " destination \"" + name + "\"");
                return ExitCodes.OK;
            }
        }

        /** A password file's trailing newline is not part of the password (keys keep theirs). */
        private static String read(Path path, String option) {
            if (path == null) {
                return null;
            }
            try {
                // a FIFO or device would block or never end; a link is read as the file it names
                if (!Files.isRegularFile(path)) {
                    throw new EngineException(option + ": " + path + " is not a regular file");
                }
                if (Files.size(path) > MAX_FILE_BYTES) {
                    throw new EngineException(option + ": " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
                }
                String text = Files.readString(path, StandardCharsets.UTF_8);
                return option.equals("--private-key-file") || option.equals("--from-file") ? text
                        : text.stripTrailing();
            } catch (IOException e) {
                throw new EngineException(option + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    @Command(name = "add", description = "Define a named destination; credential files go into the vault, bound "
            + "to it (audited).")
    static final class Add extends Save {
        @Override
        String apply(DestinationService destinations, String json, Credentials credentials) {
            destinations.add(name, json, credentials);
            return "added";
        }
    }

    @Command(name = "set", description = "Change a named destination; contracts naming it use the new definition "
            + "from their next run. Credentials not given are kept.")
    static final class Change extends Save {
        @Override
        String apply(DestinationService destinations, String json, Credentials credentials) {
            destinations.change(name, json, credentials);
            return "changed";
        }
    }

    @Command(name = "list", description = "Named destinations, where they point and the contracts naming them.")
    static final class ListDestinations implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                List<DestinationService.Usage> all = ctx.destinations().usage();
                PrintWriter out = spec.commandLine().getOut();
                if (all.isEmpty()) {
                    out.println("no named destinations (add one with `exportdesk destination add NAME --from-file "
                            + "FILE`)");
                }
                for (DestinationService.Usage u : all) {
                    out.println(u.destination().name() + "  " + u.destination().spec().describe() + "  named by "
                            + (u.contracts().isEmpty() ? "no contract" : String.join(", ", u.contracts())));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "remove", description = "Remove a named destination that no contract version names.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                ctx.destinations().remove(name);
                spec.commandLine().getOut().println("removed destination \"" + name + "\"");
                return ExitCodes.OK;
            }
        }
    }
}
