package dev.exportdesk.verify;

import java.util.List;

/**
 * The source-level comparison of one chunk: how it is classified, the source's row count and
 * digest over the chunk's range now, the exact differing keys bisection found, and how many
 * source rows were read to find them.
 */
public record ChunkReconciliation(ChunkClass classification, long sourceRows, String sourceDigest,
                                  List<RowDiff> diffs, long rowsRead, String detail) {
    public ChunkReconciliation {
        diffs = List.copyOf(diffs);
    }

    public long count(RowDiff.Kind kind) {
        return diffs.stream().filter(d -> d.kind() == kind).count();
    }
}
