package dev.exportdesk.access;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.verification.ReportService;
import dev.exportdesk.report.ReportFiles;
import dev.exportdesk.store.AuditEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The workspace ledger and the auditor reports, for one signed-in user. */
public final class LedgerGuard {
    private final Session checks;
    private final EngineContext ctx;
    private final ReportService reports;

    LedgerGuard(Session checks, EngineContext ctx, ReportService reports) {
        this.checks = checks;
        this.ctx = ctx;
        this.reports = reports;
    }

    /**
     * The workspace ledger as the console shows it: the latest signed checkpoint (empty before the
     * first run), the public key's fingerprint and verifier key, and the last recorded ledger
     * verification (an audit entry {@code ledger.verify}, empty when never verified).
     */
    public record LedgerStatus(Optional<dev.exportdesk.store.LedgerRepository.CheckpointRow> latestCheckpoint,
                               String publicKeyFingerprint, String verifierKey, Optional<AuditEntry> lastVerification) {
    }

    public LedgerStatus ledgerStatus() {
        checks.require(Permission.READ, "read the ledger");
        var checkpoints = ctx.store().inTransaction(c -> ctx.store().ledger().allCheckpoints(c));
        var ledger = new dev.exportdesk.engine.ledger.LedgerAudit(ctx);
        String fingerprint = ledger.publicKeyFingerprint();
        String verifierKey = ledger.verifierKey();
        Optional<AuditEntry> last = ctx.store().inTransaction(c -> ctx.store().audit().latest(c, "ledger.verify"));
        return new LedgerStatus(checkpoints.isEmpty() ? Optional.empty()
                : Optional.of(checkpoints.get(checkpoints.size() - 1)), fingerprint, verifierKey, last);
    }

    /** `ledger verify`: every check, recorded in the audit log as {@code ledger.verify} (pass or fail). */
    public List<dev.exportdesk.verify.Check> verifyLedger() {
        checks.require(Permission.VERIFY, "verify the ledger");
        List<dev.exportdesk.verify.Check> results = new dev.exportdesk.engine.ledger.LedgerAudit(ctx).audit();
        long failed = results.stream().filter(ch -> !ch.ok()).count();
        checks.audit("ledger.verify", "workspace ledger", null, failed == 0 ? "pass: " + results.size() + " checks"
                : "fail: " + failed + " of " + results.size() + " checks failed");
        return results;
    }

    /**
     * Writes the auditor report of one run (issue 5's report: chunks, delivery and source outcomes,
     * drift, keys, signed checkpoint) as csv, json or pdf.
     */
    public Path writeRunReport(String runRef, String format, Path out) throws java.io.IOException {
        checks.require(Permission.VERIFY, "export reports");
        ReportFiles.write(reports.forRun(runRef), format, out);
        checks.audit("report.export", "run " + runRef, null, format + " " + out.getFileName());
        return out;
    }

    /** A written report: where, what it covers (as the report states it), and how much. */
    public record WrittenReport(Path file, String scope, int runs, int chunks) {
    }

    /**
     * `report --contract C --from F --to T`: the auditor report of the contract's completed runs
     * that finished in [{@code from}, {@code to}) (either end open when null), as csv, json or pdf.
     */
    public WrittenReport writeContractReport(String contract, java.time.Instant from, java.time.Instant to,
                                             String format, Path out) throws java.io.IOException {
        checks.require(Permission.VERIFY, "export reports");
        dev.exportdesk.report.AuditReport report = reports.forContract(contract, from, to);
        ReportFiles.write(report, format, out);
        checks.audit("report.export", report.scope(), null, format + " " + out.getFileName() + ", "
                + report.runs().size() + " run(s)");
        return new WrittenReport(out, report.scope(), report.runs().size(), report.chunks().size());
    }
}
