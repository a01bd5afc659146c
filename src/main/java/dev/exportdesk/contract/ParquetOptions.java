package dev.exportdesk.contract;

import java.util.Map;
import java.util.TreeMap;

/**
 * A Parquet contract's row-group size and its typed decimals (the {@code parquet} object): a row
 * group closes when it holds {@code rowGroupRows} rows or {@code rowGroupBytes} bytes of rows,
 * whichever comes first. The writer holds one row group in memory, so these bound its memory, never
 * the table's size. {@code decimals} names the decimal columns written as Parquet {@code DECIMAL}
 * (by delivered column name); every other decimal is exact text, since a source {@code numeric} may
 * have no precision and the partner's type must not change with the source's data.
 */
public record ParquetOptions(int rowGroupRows, long rowGroupBytes, Map<String, Decimal> decimals) {
    public static final int MIN_ROWS = 1;
    public static final int MAX_ROWS = 10_000_000;
    public static final long MIN_BYTES = 1L << 16;
    public static final long MAX_BYTES = 512L << 20;
    public static final ParquetOptions DEFAULT = new ParquetOptions(100_000, 64L << 20, Map.of());

    /**
     * {@code DECIMAL(precision, scale)} on Parquet's INT64, so {@code precision} is 1–18; the scale
     * must be the source column's own, so a value reads back as the same canonical text.
     */
    public record Decimal(int precision, int scale) {
        public static final int MAX_PRECISION = 18;
    }

    public ParquetOptions {
        decimals = decimals == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(decimals));
    }

    public ParquetOptions(int rowGroupRows, long rowGroupBytes) {
        this(rowGroupRows, rowGroupBytes, Map.of());
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }
}
