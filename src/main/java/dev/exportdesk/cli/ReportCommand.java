package dev.exportdesk.cli;

import dev.exportdesk.report.AuditReport;
import dev.exportdesk.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", description = "Write an auditor report: summary, chunk reconciliation, drift history, "
        + "differing keys and the signed checkpoint root (docs/reports.md).")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Scope scope;

    static final class Scope {
        @Option(names = "--run", paramLabel = "RUN", description = "One run (id, id prefix, or contract = its latest).")
        String run;

        @Option(names = "--contract", paramLabel = "CONTRACT", description = "A contract's completed runs.")
        String contract;
    }

    @Option(names = "--from", paramLabel = "DATE", description = "With --contract: runs finished on or after "
            + "this date (yyyy-mm-dd, UTC) or instant.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "With --contract: runs finished before this date.")
    String to;

    @Option(names = "--format", required = true, paramLabel = "csv|json|pdf", description = "csv, json or pdf.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Written atomically.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            AuditReport report = scope.run != null ? ctx.reports().forRun(scope.run)
                    : ctx.reports().forContract(scope.contract, instant(from), instant(to));
            ReportFiles.write(report, format, out);
            spec.commandLine().getOut().printf("wrote %s report of %s (%d chunks) to %s%n", format, report.scope(),
                    report.chunks().size(), out.toAbsolutePath());
            return ExitCodes.OK;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(text);
    }
}
