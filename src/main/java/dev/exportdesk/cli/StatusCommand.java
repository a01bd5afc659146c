package dev.exportdesk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.engine.status.StoreHealthReport;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "The state store's size, growth and free space; contracts, their last runs, "
        + "lag and SLO; with RUN, that run's chunks.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "Run id, unique id prefix, or contract name.")
    String run;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            PrintWriter out = spec.commandLine().getOut();
            if (run != null) {
                StatusService.RunDetail detail = ctx.status().run(run);
                List<TransferAttempt> attempts = ctx.status().attempts(detail.run().id());
                Optional<Acknowledgement> ack = ctx.acks().expected(detail.run());
                Optional<RunPrune> prune = ctx.status().prune(detail.run().id());
                if (json) {
                    ObjectNode node = runJson(detail);
                    prune.ifPresent(p -> node.put("pruned", p.state().name()).put("pruned_at",
                            p.prunedAt() == null ? null : p.prunedAt().toString()));
                    TransferStatus.addJson(node, attempts, ack);
                    out.println(JSON.writeValueAsString(node));
                } else {
                    printRun(out, detail);
                    prune.ifPresent(p -> out.println("  pruned by retention (" + p.state() + ", " + Format.time(
                            p.prunedAt() == null ? p.plannedAt() : p.prunedAt()) + "): " + p.files().size()
                            + " file(s) removed from " + p.runDirectory() + "; the ledger keeps their SHA-256"));
                    TransferStatus.print(out, detail, attempts, ack);
                }
                return ExitCodes.OK;
            }
            List<ContractStatus> contracts = ctx.status().contracts();
            List<SlotReport> slots = ctx.status().slots();
            List<RunRecord> runs = ctx.status().recentRuns(20);
            Set<String> pruned = ctx.status().pruned(runs.stream().map(RunRecord::id).toList());
            StoreHealthReport health = ctx.storeHealth().check();
            if (json) {
                ObjectNode rootNode = JSON.createObjectNode();
                rootNode.put("workspace", ctx.workspace().root().toString());
                StoreHealthStatus.addJson(rootNode, health);
                ArrayNode cs = rootNode.putArray("contracts");
                for (ContractStatus s : contracts) {
                    ObjectNode n = cs.addObject();
                    n.put("contract", s.contract());
                    n.put("partner", s.partner());
                    n.put("version", s.version());
                    n.put("last_sequence", s.checkpoint().lastSequence());
                    n.put("cursor", s.checkpoint().cursorValue());
                    n.put("last_run_state", s.lastRun() == null ? null : s.lastRun().state().name());
                    n.put("last_completed_at", s.lastCompletedAt() == null ? null : s.lastCompletedAt().toString());
                    n.put("delivery_lag_seconds", s.deliveryLag() == null ? null : s.deliveryLag().getSeconds());
                    n.put("slo_breached", s.sloBreached());
                    n.put("schedule", s.schedule() == null ? null : s.schedule().describe());
                    n.put("next_start", s.nextScheduledAt() == null ? null : s.nextScheduledAt().toString());
                    n.put("paused", s.paused());
                    if (s.paused()) {
                        n.put("paused_by", s.scheduleControl().changedBy());
                        n.put("paused_at", s.scheduleControl().changedAt().toString());
                        n.put("pause_reason", s.scheduleControl().reason());
                    }
                }
                ArrayNode ss = rootNode.putArray("slots");
                slots.forEach(r -> SlotStatus.addJson(ss.addObject(), r));
                ArrayNode rs = rootNode.putArray("runs");
                runs.forEach(r -> {
                    ObjectNode n = runNode(r);
                    n.put("pruned", pruned.contains(r.id()));
                    ctx.acks().expected(r).ifPresent(a -> n.put("receipt", a.state().name())
                            .put("receipt_slo_breached", a.sloBreached()));
                    rs.add(n);
                });
                out.println(JSON.writeValueAsString(rootNode));
                return ExitCodes.OK;
            }
            out.println("workspace " + ctx.workspace().root());
            StoreHealthStatus.print(out, health);
            out.printf("%-26s %-12s %-5s %-12s %-21s %-10s %s%n", "CONTRACT", "PARTNER", "RUN", "STATE",
                    "LAST COMPLETED", "LAG", "SLO");
            for (ContractStatus s : contracts) {
                out.printf("%-26s %-12s %-5s %-12s %-21s %-10s %s%n", s.contract(), s.partner(),
                        s.lastRun() == null ? "-" : "#" + s.lastRun().sequence(),
                        s.lastRun() == null ? "never run" : s.lastRun().state(), Format.time(s.lastCompletedAt()),
                        Format.duration(s.deliveryLag()),
                        s.maxDeliveryLag() == null ? "-" : s.sloBreached() ? "BREACHED (max "
                                + Format.duration(s.maxDeliveryLag()) + ")" : "ok");
            }
            contracts.forEach(s -> scheduleLine(s).ifPresent(out::println));
            SlotStatus.print(out, slots);
            out.println();
            out.printf("%-9s %-26s %-5s %-12s %-21s %10s %7s %9s  %s%n", "RUN", "CONTRACT", "SEQ", "STATE", "STARTED",
                    "ROWS", "CHUNKS", "ATTEMPTS", "ERROR");
            for (RunRecord r : runs) {
                out.printf("%-9s %-26s %-5d %-12s %-21s %,10d %7d %9d  %s%n", Format.shortId(r.id()),
                        r.contractName(), r.sequence(), pruned.contains(r.id()) ? "PRUNED" : r.state(),
                        Format.time(r.plannedAt()), r.rowCount(),
                        r.chunkCount(), r.attempts(), r.error() == null ? "" : Format.oneLine(r.error(), 120));
            }
            for (RunRecord r : runs) {
                ctx.acks().expected(r).filter(Acknowledgement::sloBreached).ifPresent(a -> out.printf(
                        "receipt OVERDUE (SLO breach): %s run %d, deadline %s%n", r.contractName(), r.sequence(),
                        Format.time(a.deadline())));
                ctx.acks().expected(r).filter(a -> a.state() == AckState.REDELIVER || a.state() == AckState.REJECTED
                                || a.state() == AckState.REDELIVERED)
                        .ifPresent(a -> out.printf("receipt %s: %s run %d: %s%n", a.state(), r.contractName(),
                                r.sequence(), Format.oneLine(a.detail(), 120)));
            }
            return ExitCodes.OK;
        }
    }

    /** "schedule orders-to-acme: every 15m, next 2026-…", or that it is paused, by whom and why; empty for manual ones. */
    static Optional<String> scheduleLine(ContractStatus s) {
        if (s.schedule() == null && !s.paused()) {
            return Optional.empty();
        }
        String what = s.schedule() == null ? "no schedule" : s.schedule().describe();
        if (s.paused()) {
            var p = s.scheduleControl();
            return Optional.of("schedule " + s.contract() + ": PAUSED by " + p.changedBy() + " at "
                    + Format.time(p.changedAt()) + (p.reason() == null ? "" : " — " + p.reason()) + "; " + what
                    + " (not started by run --due until `contract enable`; `run " + s.contract() + "` still runs it)");
        }
        return Optional.of("schedule " + s.contract() + ": " + what + ", next " + Format.time(s.nextScheduledAt()));
    }

    private static void printRun(PrintWriter out, StatusService.RunDetail d) {
        RunRecord r = d.run();
        out.printf("run %s%n  contract %s v%d, sequence %d, %s, state %s, attempts %d%n", r.id(), r.contractName(),
                r.contractVersion(), r.sequence(), r.mode().wire(), r.state(), r.attempts());
        out.printf("  planned %s, finished %s%n  cursor from %s, upper bound %s%n", Format.time(r.plannedAt()),
                Format.time(r.finishedAt()), r.cursorFrom() == null ? "(start)" : r.cursorFrom(),
                r.upperBound() == null ? "(not fixed yet)" : r.upperBound());
        if (r.manifestSha256() != null) {
            out.println("  manifest sha256 " + r.manifestSha256());
        }
        if (r.error() != null) {
            out.println("  error: " + r.error());
        }
        out.printf("%n  %-5s %-24s %-11s %9s %11s %8s  %-16s %s%n", "SEQ", "FILE", "STATE", "ROWS", "BYTES",
                "ATTEMPTS", "SHA256", "LAST ERROR");
        for (ChunkRecord c : d.chunks()) {
            out.printf("  %-5d %-24s %-11s %,9d %11s %8d  %-16s %s%n", c.seq(), c.fileName(), c.state(), c.rowCount(),
                    Format.bytes(c.byteCount()), c.attempts(), c.sha256() == null ? "-" : c.sha256().substring(0, 16),
                    c.lastError() == null ? "" : Format.oneLine(c.lastError(), 120));
        }
    }


    private static ObjectNode runNode(RunRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("run_id", r.id());
        n.put("contract", r.contractName());
        n.put("contract_version", r.contractVersion());
        n.put("sequence", r.sequence());
        n.put("state", r.state().name());
        n.put("planned_at", r.plannedAt().toString());
        n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        n.put("rows", r.rowCount());
        n.put("chunks", r.chunkCount());
        n.put("bytes", r.byteCount());
        n.put("attempts", r.attempts());
        n.put("manifest_sha256", r.manifestSha256());
        n.put("error", r.error());
        return n;
    }

    private static ObjectNode runJson(StatusService.RunDetail d) {
        ObjectNode n = runNode(d.run());
        ArrayNode chunks = n.putArray("chunks");
        for (ChunkRecord c : d.chunks()) {
            ObjectNode cn = chunks.addObject();
            cn.put("seq", c.seq());
            cn.put("file", c.fileName());
            cn.put("state", c.state().name());
            cn.put("rows", c.rowCount());
            cn.put("bytes", c.byteCount());
            cn.put("sha256", c.sha256());
            cn.put("attempts", c.attempts());
            cn.put("last_error", c.lastError());
        }
        return n;
    }
}
