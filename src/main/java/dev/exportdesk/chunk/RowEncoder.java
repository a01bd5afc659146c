package dev.exportdesk.chunk;

import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.source.CapturedRow;
import java.util.List;

/** Encodes rows of one chunk in the contract's format; the same row always gives the same bytes. */
public interface RowEncoder {
    /** Bytes that open every chunk file (the CSV header), possibly none. */
    byte[] header();

    /** Replaces {@code out}'s content with the encoding of {@code row}, line terminator included. */
    void encode(CapturedRow row, RowBuffer out);

    static RowEncoder of(OutputFormat format, List<String> columnNames) {
        return switch (format) {
            case JSONL -> new JsonLinesEncoder(columnNames);
            case CSV -> new CsvEncoder(columnNames);
        };
    }

    static String op(CapturedRow row) {
        return row.delete() ? "delete" : "upsert";
    }
}
