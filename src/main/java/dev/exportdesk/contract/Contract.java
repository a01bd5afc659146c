package dev.exportdesk.contract;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one partner receives from one source: a validated, immutable contract version. Build one
 * with {@link ContractCodec#parse}; a {@code Contract} instance is always valid structurally.
 */
public record Contract(String name, String partner, String description, SourceRef source, String table,
                       String query, List<String> keyColumns, List<String> cursorColumns, List<String> columns,
                       String softDeleteColumn, OutputFormat format, Compression compression,
                       int compressionLevel, ChunkLimits chunk, int fetchSize, DestinationSpec destination,
                       Duration scheduleInterval, LateDataPolicy lateData, Slo slo, RetryPolicy retry) {

    public Contract {
        keyColumns = List.copyOf(keyColumns);
        cursorColumns = List.copyOf(cursorColumns);
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** Without cursor columns a contract exports the whole table each run, by key ranges. */
    public boolean incremental() {
        return !cursorColumns.isEmpty();
    }

    public Optional<String> softDelete() {
        return Optional.ofNullable(softDeleteColumn);
    }

    public Optional<Duration> schedule() {
        return Optional.ofNullable(scheduleInterval);
    }

    /** The chunk file name suffix, e.g. {@code .jsonl.zst}. */
    public String fileSuffix() {
        return "." + format.extension() + compression.suffix();
    }
}
