package dev.exportdesk.contract;

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
                       Schedule runSchedule, LateDataPolicy lateData, Slo slo, RetryPolicy retry,
                       Backfill backfill, CaptureSpec capture, OpenPgpSpec openpgp,
                       MaskingPolicy masking, SchemaChangePolicy schemaChange, PathTemplate pathTemplate,
                       CsvDialect csv, RetentionPolicy retention) {

    public Contract {
        keyColumns = List.copyOf(keyColumns);
        cursorColumns = List.copyOf(cursorColumns);
        columns = columns == null ? null : List.copyOf(columns);
        masking = masking == null ? MaskingPolicy.NONE : masking;
        schemaChange = schemaChange == null ? SchemaChangePolicy.STOP : schemaChange;
        pathTemplate = pathTemplate == null ? PathTemplate.DEFAULT : pathTemplate;
        csv = csv == null ? CsvDialect.DEFAULT : csv;
        retention = retention == null ? RetentionPolicy.KEEP_FOREVER : retention;
    }

    /** This contract with {@code resolved} in place of its destination (a named one's current definition). */
    public Contract withDestination(DestinationSpec resolved) {
        return new Contract(name, partner, description, source, table, query, keyColumns, cursorColumns, columns,
                softDeleteColumn, format, compression, compressionLevel, chunk, fetchSize, resolved, runSchedule,
                lateData, slo, retry, backfill, capture, openpgp, masking, schemaChange, pathTemplate,
                csv, retention);
    }

    /** Without cursor columns a contract exports the whole table each run, by key ranges. */
    public boolean incremental() {
        return !cursorColumns.isEmpty();
    }

    public Optional<String> softDelete() {
        return Optional.ofNullable(softDeleteColumn);
    }

    /** When the contract runs by itself; empty: only when a person (or {@code run CONTRACT}) starts it. */
    public Optional<Schedule> schedule() {
        return Optional.ofNullable(runSchedule);
    }

    /** The chunk file name suffix, e.g. {@code .jsonl.zst}, or {@code .jsonl.zst.pgp} when chunks are encrypted. */
    public String fileSuffix() {
        return "." + format.extension() + compression.suffix() + (encrypted() ? OpenPgpSpec.SUFFIX : "");
    }

    /** How chunk files are spelled: the format and, for CSV, its dialect. */
    public FileFormat fileFormat() {
        return new FileFormat(format, csv);
    }

    /** Whether chunks are OpenPGP-encrypted to the partner at seal ({@code openpgp} set). */
    public boolean encrypted() {
        return openpgp != null;
    }
}
