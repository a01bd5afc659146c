package dev.exportdesk.contract;

/**
 * A Parquet contract's row-group size (the {@code parquet} object): a row group closes when it holds
 * {@code rowGroupRows} rows or {@code rowGroupBytes} bytes of rows, whichever comes first. The
 * writer holds one row group in memory, so these bound its memory, never the table's size.
 */
public record ParquetOptions(int rowGroupRows, long rowGroupBytes) {
    public static final int MIN_ROWS = 1;
    public static final int MAX_ROWS = 10_000_000;
    public static final long MIN_BYTES = 1L << 16;
    public static final long MAX_BYTES = 512L << 20;
    public static final ParquetOptions DEFAULT = new ParquetOptions(100_000, 64L << 20);

    public boolean isDefault() {
        return equals(DEFAULT);
    }
}
