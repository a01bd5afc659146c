package dev.exportdesk.chunk;

import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CapturedRow;
import java.util.List;

/** Encodes rows of one chunk in the contract's format; the same row always gives the same bytes. */
public interface RowEncoder {
    /** Bytes that open every chunk file (the CSV header), possibly none. */
    byte[] header();

    /** Replaces {@code out}'s content with the encoding of {@code row}, line terminator included. */
    void encode(CapturedRow row, RowBuffer out);

    static RowEncoder of(FileFormat format, List<String> columnNames) {
        return switch (format.type()) {
            // a Parquet row's canonical bytes are its JSON Lines line: digests and deep verification stay one rule
            case JSONL, PARQUET -> new JsonLinesEncoder(columnNames);
            case CSV -> new CsvEncoder(columnNames, format.dialect());
        };
    }

    /**
     * The encoder of rows as {@code mask} delivers them (masked columns, dropped ones gone, rows outside
     * the filter as deletes): the one every capture and verification path uses. One per thread.
     */
    static RowEncoder of(FileFormat format, RowMask mask) {
        RowEncoder plain = of(format, mask.names());
        if (mask.identity()) {
            return plain;
        }
        RowMask.Masker masker = mask.masker();
        return new RowEncoder() {
            @Override
            public byte[] header() {
                return plain.header();
            }

            @Override
            public void encode(CapturedRow row, RowBuffer out) {
                plain.encode(masker.apply(row), out);
            }
        };
    }

    static String op(CapturedRow row) {
        return row.delete() ? "delete" : "upsert";
    }
}
