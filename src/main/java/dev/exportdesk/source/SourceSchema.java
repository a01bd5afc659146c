package dev.exportdesk.source;

import java.util.List;

/**
 * The resolved shape of a contract's source: the SQL relation to read from, the exported columns in
 * order, and which of them form the ordering tuple (cursor columns, then key columns).
 */
public record SourceSchema(String relationSql, List<ColumnInfo> columns, int[] orderIndexes, int[] keyIndexes,
                           int softDeleteIndex, String fingerprint) {

    public SourceSchema {
        columns = List.copyOf(columns);
        orderIndexes = orderIndexes.clone();
        keyIndexes = keyIndexes.clone();
    }

    public List<ColumnInfo> orderColumns() {
        return java.util.Arrays.stream(orderIndexes).mapToObj(columns::get).toList();
    }

    public int cursorColumnCount() {
        return orderIndexes.length - keyIndexes.length;
    }

    /** The first cursor column, which bounds a run; null for full (key-range) exports. */
    public ColumnInfo leadingCursor() {
        return cursorColumnCount() == 0 ? null : columns.get(orderIndexes[0]);
    }

    /** The index of the exported column written as {@code name} (else matched case-insensitively when unambiguous), or -1. */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).outputName().equals(name)) {
                return i;
            }
        }
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).outputName().equalsIgnoreCase(name)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }
}
