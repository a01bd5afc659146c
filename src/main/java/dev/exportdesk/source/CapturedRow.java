package dev.exportdesk.source;

/**
 * One row read from the source, in canonical values, in the contract's column order.
 * {@code delete} is set when the soft-delete column marks the row as deleted.
 */
public record CapturedRow(Object[] values, boolean delete) {

    /** A row whose soft-delete column (if the contract has one) says whether it is a delete. */
    public static CapturedRow of(Object[] values, SourceSchema schema) {
        boolean delete = false;
        if (schema.softDeleteIndex() >= 0) {
            Object marker = values[schema.softDeleteIndex()];
            delete = marker != null && !Boolean.FALSE.equals(marker) && !Long.valueOf(0).equals(marker);
        }
        return new CapturedRow(values, delete);
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
