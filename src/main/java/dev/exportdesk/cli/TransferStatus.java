package dev.exportdesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.store.ChunkRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** The transfer part of {@code status RUN}: per-chunk attempts with bytes, duration and error; the receipt. */
final class TransferStatus {
    private TransferStatus() {
    }

    static void print(PrintWriter out, StatusService.RunDetail d, List<TransferAttempt> attempts,
                      Optional<Acknowledgement> ack) {
        if (!attempts.isEmpty()) {
            out.printf("%n  transfer attempts%n  %-5s %-24s %-3s %-8s %10s %11s %9s  %s%n", "SEQ", "FILE", "#",
                    "OUTCOME", "RESUMED AT", "SENT", "DURATION", "ERROR");
            for (TransferAttempt a : attempts) {
                // seq 0: the run's own files (ledger proofs, SHA256SUMS, manifest, redelivery notices)
                out.printf("  %-5s %-24s %-3d %-8s %10s %11s %7d ms  %s%n", a.chunkSeq() == 0 ? "-" : a.chunkSeq(),
                        a.fileName(), a.attempt(), a.outcome(),
                        Format.bytes(a.resumedFrom()), Format.bytes(a.bytesSent()), a.durationMillis(),
                        a.error() == null ? "" : Format.oneLine(a.error(), 140));
            }
        }
        ack.ifPresent(a -> {
            out.printf("%n  receipt %s%s, checked %s%n  %s%n", a.state(), a.sloBreached() ? " — SLO BREACHED" : "",
                    Format.time(a.checkedAt()), a.detail());
            for (AckRepository.ChunkAck c : a.chunks()) {
                if (c.state() != AckState.ACKNOWLEDGED) {
                    String file = d.chunks().stream().filter(ch -> ch.seq() == c.seq()).map(ChunkRecord::fileName)
                            .findFirst().orElse("#" + c.seq());
                    out.printf("  %s: %s — %s%n", file, c.state(), c.reason());
                }
            }
        });
    }

    static void addJson(ObjectNode run, List<TransferAttempt> attempts, Optional<Acknowledgement> ack) {
        ArrayNode arr = run.putArray("transfer_attempts");
        for (TransferAttempt a : attempts) {
            ObjectNode n = arr.addObject();
            n.put("seq", a.chunkSeq());
            n.put("file", a.fileName());
            n.put("attempt", a.attempt());
            n.put("started_at", a.startedAt().toString());
            n.put("duration_ms", a.durationMillis());
            n.put("resumed_from", a.resumedFrom());
            n.put("bytes_sent", a.bytesSent());
            n.put("outcome", a.outcome());
            n.put("error", a.error());
        }
        ack.ifPresent(a -> {
            ObjectNode n = run.putObject("acknowledgement");
            n.put("state", a.state().name());
            n.put("slo_breached", a.sloBreached());
            n.put("deadline", a.deadline() == null ? null : a.deadline().toString());
            n.put("detail", a.detail());
            ArrayNode cs = n.putArray("chunks");
            a.chunks().forEach(c -> cs.addObject().put("seq", c.seq()).put("state", c.state().name())
                    .put("reason", c.reason()));
        });
    }

}
