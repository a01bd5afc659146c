package dev.exportdesk.source;

/**
 * One row read from the source, in canonical values, in the contract's column order.
 * {@code delete} is set when the soft-delete column marks the row as deleted.
 */
public record CapturedRow(Object[] values, boolean delete) {

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
