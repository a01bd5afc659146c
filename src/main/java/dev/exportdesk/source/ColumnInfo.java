package dev.exportdesk.source;

/**
 * A source column as exported: {@code name} is the database's spelling (quoted in SQL),
 * {@code outputName} the spelling written to chunks (the contract's, when it lists columns).
 */
public record ColumnInfo(String name, String outputName, int jdbcType, String typeName, boolean nullable,
                         ValueKind kind) {
}
