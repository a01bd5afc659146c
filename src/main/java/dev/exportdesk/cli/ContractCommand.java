package dev.exportdesk.cli;

import dev.exportdesk.chunk.SchemaChangeNotice;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "contract", description = "Import, validate, list and export partner contracts.",
        subcommands = {ContractCommand.Import.class, ContractCommand.Validate.class, ContractCommand.ListCmd.class,
                ContractCommand.Export.class, ContractCommand.History.class, ContractCommand.Pause.class,
                ContractCommand.Enable.class, DropSlotCommand.class})
final class ContractCommand {

    static ExportDeskCommand root(CommandSpec spec) {
        return (ExportDeskCommand) spec.root().userObject();
    }

    /**
     * A contract file's text. Its size is checked before reading, so a huge or endless file (a FIFO,
     * /dev/zero) is refused with exit 3 instead of filling the heap.
     */
    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new dev.exportdesk.contract.ContractValidationException(file.toString(), List.of(
                    new dev.exportdesk.contract.ValidationError("$", "is not a regular file")));
        }
        if (Files.size(file) > ContractCodec.MAX_DOCUMENT_BYTES) {
            throw new dev.exportdesk.contract.ContractValidationException(file.toString(), List.of(
                    new dev.exportdesk.contract.ValidationError("$", "is " + Files.size(file) + " bytes; the limit is "
                            + ContractCodec.MAX_DOCUMENT_BYTES)));
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new dev.exportdesk.contract.ContractValidationException(file.toString(), List.of(
                    new dev.exportdesk.contract.ValidationError("$", "is not UTF-8 text")));
        }
    }

    @Command(name = "import", description = "Validate every FILE, then store each as its contract's next version "
            + "in one transaction (nothing is stored if any check of any file fails).")
    static final class Import implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<Path> files;
        @Option(names = "--offline", description = "Skip checking table and columns against the source.")
        boolean offline;

        @Override
        public Integer call() throws IOException {
            List<ContractService.Input> inputs = new java.util.ArrayList<>();
            for (Path f : files) {
                inputs.add(new ContractService.Input(read(f), f.toString()));
            }
            try (CliContext ctx = root(spec).open()) {
                PrintWriter out = spec.commandLine().getOut();
                List<ContractService.ImportResult> results = ctx.contracts().importAll(inputs, offline);
                for (int i = 0; i < files.size(); i++) {
                    ContractService.ImportResult r = results.get(i);
                    out.printf("%s: contract %s %s version %d%n", files.get(i), r.version().contractName(),
                            r.changed() ? "stored as" : "unchanged, still", r.version().version());
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "validate", description = "Check FILE without storing it; lists every problem with its JSON path.")
    static final class Validate implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--offline", description = "Skip checking table and columns against the source.")
        boolean offline;

        @Override
        public Integer call() throws IOException {
            String body = read(file);
            try (CliContext ctx = root(spec).open()) {
                ContractService.Validated v = ctx.contracts().validate(body, file.toString(), offline);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%s: valid contract %s for partner %s%n", file, v.contract().name(), v.contract().partner());
                v.schema().ifPresent(s -> {
                    out.println("  source columns:");
                    s.columns().forEach(c -> out.printf("    %-24s %s%n", c.outputName(), c.typeName()));
                    out.println("  schema fingerprint: " + s.fingerprint());
                });
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", description = "List contracts with partner and current version.")
    static final class ListCmd implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = root(spec).open()) {
                PrintWriter out = spec.commandLine().getOut();
                List<ContractRecord> all = ctx.contracts().list();
                if (all.isEmpty()) {
                    out.println("no contracts yet: import one with `exportdesk contract import FILE`");
                }
                out.printf("%-28s %-16s %-8s %s%n", "CONTRACT", "PARTNER", "VERSION", "UPDATED");
                for (ContractRecord c : all) {
                    out.printf("%-28s %-16s %-8d %s%n", c.name(), c.partner(), c.currentVersion(),
                            Format.time(c.updatedAt()));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "export", description = "Write a stored contract version as JSON (stdout unless --out).")
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "CONTRACT")
        String name;
        @Option(names = "--version", paramLabel = "N", description = "Version (default: current).")
        Integer version;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (atomically) instead of stdout.")
        Path outFile;

        @Override
        public Integer call() throws IOException {
            try (CliContext ctx = root(spec).open()) {
                ContractVersion v = ctx.contracts().export(name, Optional.ofNullable(version));
                if (outFile == null) {
                    spec.commandLine().getOut().print(v.body());
                    return ExitCodes.OK;
                }
                Path abs = outFile.toAbsolutePath();
                Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
                Files.writeString(tmp, v.body(), StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                spec.commandLine().getOut().printf("wrote %s version %d to %s%n", name, v.version(), abs);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "history", description = "List every stored version of a contract.")
    static final class History implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "CONTRACT")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = root(spec).open()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-8s %-21s %-20s %s%n", "VERSION", "CREATED", "BY", "SHA-256");
                for (ContractVersion v : ctx.contracts().history(name)) {
                    out.printf("%-8d %-21s %-20s %s%s%n", v.version(), Format.time(v.createdAt()), v.createdBy(),
                            v.bodySha256().substring(0, 16), schemaNote(v));
                }
                return ExitCodes.OK;
            }
        }
    }

    /** A version the engine added for columns the source gained says so; a steward's import says nothing. */
    static String schemaNote(ContractVersion v) {
        if (v.schemaChange() == null) {
            return "";
        }
        try {
            SchemaChangeNotice n = SchemaChangeNotice.parse(v.schemaChange());
            return "  schema_change additive: added " + String.join(", ", n.addedColumns().stream()
                    .map(c -> c.name() + " " + c.type()).toList()) + " (from v" + n.previousContractVersion() + ")";
        } catch (IOException e) {
            return "  schema_change: unreadable notice (" + e.getMessage() + ")";
        }
    }

    @Command(name = "pause", description = "Stop the schedule from starting CONTRACT (run --due and the console's "
            + "schedule leave it alone; `run CONTRACT` still runs it) until `contract enable`. Audited contract.pause.")
    static final class Pause implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "CONTRACT")
        String name;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown with the paused state "
                + "(one line, at most 500 characters).")
        String reason;

        @Override
        public Integer call() {
            try (CliContext ctx = root(spec).open()) {
                dev.exportdesk.store.ScheduleControl s = ctx.schedules().pause(name, reason);
                spec.commandLine().getOut().printf("%s paused by %s at %s%s%n", name, s.changedBy(),
                        Format.time(s.changedAt()), s.reason() == null ? "" : " — " + s.reason());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "enable", description = "Let the schedule start CONTRACT again after `contract pause`. "
            + "Audited contract.enable.")
    static final class Enable implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "CONTRACT")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = root(spec).open()) {
                boolean wasPaused = ctx.schedules().state(name).filter(dev.exportdesk.store.ScheduleControl::paused)
                        .isPresent();
                dev.exportdesk.store.ScheduleControl s = ctx.schedules().enable(name);
                spec.commandLine().getOut().printf("%s %s by %s at %s%n", name, wasPaused ? "enabled"
                        : "enabled (it was not paused)", s.changedBy(), Format.time(s.changedAt()));
                return ExitCodes.OK;
            }
        }
    }
}
