package dev.exportdesk.report;

import java.time.Instant;
import java.util.List;

/**
 * What an auditor report shows (docs/reports.md): the runs in scope, each chunk with its delivery
 * and source reconciliation outcome, the drift history of the verification passes, the exact keys
 * found, and the signed checkpoint that ties the report to the ledger.
 */
public record AuditReport(String scope, Instant generatedAt, List<RunLine> runs, List<ChunkLine> chunks,
                          List<DriftPoint> drift, List<DriftKey> keys, Checkpoint checkpoint) {

    public AuditReport {
        runs = List.copyOf(runs);
        chunks = List.copyOf(chunks);
        drift = List.copyOf(drift);
        keys = List.copyOf(keys);
    }

    public record RunLine(String contract, long sequence, String runId, String state, long rows, int chunks,
                          String manifestSha256, Instant finishedAt, String lastVerification) {
    }

    /**
     * A chunk with its outcomes and its correction lineage: {@code corrects}, for a chunk of a
     * correction run, the chunk it corrects (else null); {@code correctedBy} the correction chunks
     * that corrected it.
     */
    public record ChunkLine(String contract, long sequence, String file, long rows, String sha256, String delivery,
                            String classification, Long sourceRows, long changed, long missing, long late,
                            String detail, Lineage corrects, List<Lineage> correctedBy) {
        public ChunkLine {
            correctedBy = correctedBy == null ? List.of() : List.copyOf(correctedBy);
        }
    }

    /**
     * One end of a correction link: run sequence and id, chunk sequence, and the chunk's file (when
     * known) or the correction run's state.
     */
    public record Lineage(long sequence, String runId, int chunk, String file, String state) {
        /** "run #1 chunk 3 (chunk-000003.jsonl.zst)" or "run #2 chunk 1 (COMPLETED)". */
        public String text() {
            return "run #" + sequence + " chunk " + chunk + " (" + (file != null ? file : state) + ")";
        }
    }

    public record DriftPoint(Instant at, String contract, long sequence, String level, long rowsShipped, long changed,
                             long missing, long late, int mismatches) {
    }

    public record DriftKey(long sequence, String file, String key, String kind) {
    }

    /** The signed checkpoint delivered with the newest run in scope (null before any). */
    public record Checkpoint(String runId, long treeSize, String rootHex, String note) {
    }
}
