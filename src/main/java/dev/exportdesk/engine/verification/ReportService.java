package dev.exportdesk.engine.verification;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.report.AuditReport;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.store.LedgerRepository.CheckpointRow;
import dev.exportdesk.store.ReconciliationRepository.ChunkResult;
import dev.exportdesk.store.ReconciliationRepository.Pass;
import dev.exportdesk.store.ReconciliationRepository;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.Verification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers an auditor report (docs/reports.md) from the state store: for one run, or for a
 * contract's completed runs finished in [from, to), each chunk with its newest delivery and source
 * outcome and its correction lineage, the drift history of the verification passes in scope, the
 * keys they found, and the signed checkpoint of the newest run.
 */
public final class ReportService {
    private final EngineContext ctx;
    private final RunLookup lookup;

    public ReportService(EngineContext ctx) {
        this.ctx = ctx;
        this.lookup = new RunLookup(ctx);
    }

    public AuditReport forRun(String runRef) {
        RunRecord run = lookup.find(runRef);
        return build("run " + run.id() + " (" + run.contractName() + " #" + run.sequence() + ")", List.of(run));
    }

    public AuditReport forContract(String contract, Instant from, Instant to) {
        List<RunRecord> runs = ctx.store().inTransaction(c -> {
            if (ctx.store().contracts().find(c, contract).isEmpty()) {
                throw ContractService.unknown(contract);
            }
            return ctx.store().runs().completedInOrder(c, contract);
        }).stream().filter(r -> r.finishedAt() != null && (from == null || !r.finishedAt().isBefore(from))
                && (to == null || r.finishedAt().isBefore(to))).toList();
        String scope = "contract " + contract + (from == null && to == null ? "" : " runs finished "
                + (from == null ? "" : "from " + from + " ") + (to == null ? "" : "before " + to));
        return build(scope.trim(), runs);
    }

    private AuditReport build(String scope, List<RunRecord> runs) {
        return ctx.store().inTransaction(c -> {
            ReconciliationRepository repo = ctx.store().reconciliations();
            List<AuditReport.RunLine> runLines = new ArrayList<>();
            List<AuditReport.ChunkLine> chunkLines = new ArrayList<>();
            List<AuditReport.DriftPoint> drift = new ArrayList<>();
            List<AuditReport.DriftKey> keys = new ArrayList<>();
            CheckpointRow checkpoint = null;
            for (RunRecord run : runs) {
                List<Pass> passes = repo.passesForRun(c, run.id());
                Optional<Pass> deep = passes.stream().filter(p -> p.level().equals("deep")).reduce((a, b) -> b);
                Map<Integer, ChunkResult> source = new HashMap<>();
                Map<Integer, String> fileBySeq = new HashMap<>();
                if (deep.isPresent()) {
                    repo.chunks(c, deep.get().id()).forEach(r -> source.put(r.chunkSeq(), r));
                }
                Map<Integer, String> delivery = new HashMap<>();
                for (Verification v : ctx.store().verifications().forRun(c, run.id())) {
                    if (v.chunkSeq() != null && "delivery".equals(v.level())) {
                        delivery.put(v.chunkSeq(), v.outcome());
                    }
                }
                Map<Integer, AuditReport.Lineage> corrects = new HashMap<>();
                for (CorrectionRepository.Correction x : ctx.store().corrections().forRun(c, run.id())) {
                    corrects.put(x.chunkSeq(), new AuditReport.Lineage(x.correctsSequence(), x.correctsRunId(),
                            x.correctsChunkSeq(), x.correctsFile(), null));
                }
                Map<Integer, List<AuditReport.Lineage>> correctedBy = new HashMap<>();
                for (CorrectionRepository.CorrectedBy x : ctx.store().corrections().correctedBy(c, run.id(), 0,
                        Integer.MAX_VALUE)) {
                    correctedBy.computeIfAbsent(x.correctedSeq(), s -> new ArrayList<>()).add(new AuditReport.Lineage(
                            x.sequence(), x.runId(), x.chunkSeq(), null, x.state().name()));
                }
                for (ChunkRecord ch : ctx.store().chunks().forRun(c, run.id())) {
                    fileBySeq.put(ch.seq(), ch.fileName());
                    ChunkResult r = source.get(ch.seq());
                    chunkLines.add(new AuditReport.ChunkLine(run.contractName(), run.sequence(), ch.fileName(),
                            ch.rowCount(), ch.sha256(), delivery.getOrDefault(ch.seq(), "not verified"),
                            r == null ? "-" : r.classification(), r == null ? null : r.sourceRows(),
                            r == null ? 0 : r.rowsChanged(), r == null ? 0 : r.rowsMissing(),
                            r == null ? 0 : r.rowsExtra(), r == null ? null : r.detail(), corrects.get(ch.seq()),
                            correctedBy.get(ch.seq())));
                }
                if (deep.isPresent()) {
                    for (ReconciliationRepository.DriftRow d : repo.driftRows(c, deep.get().id())) {
                        keys.add(new AuditReport.DriftKey(run.sequence(), fileBySeq.getOrDefault(d.chunkSeq(), "?"),
                                d.rowKey(), d.kind()));
                    }
                }
                for (Pass p : passes) {
                    drift.add(new AuditReport.DriftPoint(p.startedAt(), p.contractName(), run.sequence(), p.level(),
                            p.rowsShipped(), p.rowsChanged(), p.rowsMissing(), p.rowsExtra(), p.mismatches()));
                }
                String last = passes.isEmpty() ? (delivery.isEmpty() ? "never" : "delivery only")
                        : passes.get(passes.size() - 1).outcome() + " at " + passes.get(passes.size() - 1).startedAt();
                runLines.add(new AuditReport.RunLine(run.contractName(), run.sequence(), run.id(), run.state().name(),
                        run.rowCount(), run.chunkCount(), run.manifestSha256(), run.finishedAt(), last));
                checkpoint = ctx.store().ledger().checkpoint(c, run.id()).orElse(checkpoint);
            }
            drift.sort(java.util.Comparator.comparing(AuditReport.DriftPoint::at));
            AuditReport.Checkpoint cp = checkpoint == null ? null : new AuditReport.Checkpoint(checkpoint.runId(),
                    checkpoint.treeSize(), checkpoint.rootHash(), checkpoint.note());
            return new AuditReport(scope, ctx.now(), runLines, chunkLines, drift, keys, cp);
        });
    }
}
