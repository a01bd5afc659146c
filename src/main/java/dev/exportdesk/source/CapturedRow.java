package dev.exportdesk.source;

/**
 * One row read from the source, in canonical values, in the contract's column order.
 * {@code delete} is set when the soft-delete column marks the row as deleted. {@code plainText}:
 * bit i set where the reader knows value i (of the first 64) to be a String of printable ASCII
 * that JSON writes unescaped, so the encoder may copy it whole (issue 14: escaping character by
 * character was a tenth of the export's profile); 0, always correct, where it does not know.
 */
public record CapturedRow(Object[] values, boolean delete, long plainText) {

    public CapturedRow(Object[] values, boolean delete) {
        this(values, delete, 0L);
    }

    /** A row whose soft-delete column (if the contract has one) says whether it is a delete. */
    public static CapturedRow of(Object[] values, SourceSchema schema) {
        return of(values, schema, 0L);
    }

    static CapturedRow of(Object[] values, SourceSchema schema, long plainText) {
        boolean delete = false;
        if (schema.softDeleteIndex() >= 0) {
            Object marker = values[schema.softDeleteIndex()];
            delete = marker != null && !Boolean.FALSE.equals(marker) && !Long.valueOf(0).equals(marker);
        }
        return new CapturedRow(values, delete, plainText);
    }

    /** Whether value {@code i} is known to be a String JSON writes as it is ({@link #plainText}). */
    public boolean plain(int i) {
        return i < Long.SIZE && (plainText & (1L << i)) != 0;
    }

    public Object[] tuple(SourceSchema schema) {
        int[] idx = schema.orderIndexes();
        Object[] out = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    public Object[] key(SourceSchema schema) {
        int[] idx = schema.keyIndexes();
        Object[] out = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }
}
