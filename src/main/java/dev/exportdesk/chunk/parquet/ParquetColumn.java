package dev.exportdesk.chunk.parquet;

import dev.exportdesk.source.ValueKind;

/**
 * How one canonical value kind is stored in Parquet (docs/delivery-format.md, "Parquet"): the
 * physical type, and the logical type a reader uses to give the column back its meaning.
 */
enum ParquetColumn {
    INT64(2), DOUBLE(5), BOOLEAN(0), DATE(1), TIME_MICROS(2), TIMESTAMP_LOCAL(2), TIMESTAMP_UTC(2), BYTES(6),
    STRING(6),
    /** A decimal the contract types ({@code parquet.decimals}): the unscaled value as INT64; scale and precision per column. */
    DECIMAL(2);

    /** Parquet's {@code Type} enum value. */
    final int physical;

    ParquetColumn(int physical) {
        this.physical = physical;
    }

    /**
     * Decimals are text unless the contract types them ({@code parquet.decimals}, {@link #DECIMAL}): a
     * column's precision and scale are not part of the source schema we read (and PostgreSQL's
     * {@code numeric} may have none), and the canonical text is exact.
     */
    static ParquetColumn of(ValueKind kind) {
        return switch (kind) {
            case INTEGER -> INT64;
            case FLOAT -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case TIME -> TIME_MICROS;
            case TIMESTAMP -> TIMESTAMP_LOCAL;
            case TIMESTAMP_TZ -> TIMESTAMP_UTC;
            case BINARY -> BYTES;
            case DECIMAL, STRING, OTHER -> STRING;
        };
    }

    /** The schema element's converted type (the legacy annotation older readers know), or -1. */
    int convertedType() {
        return switch (this) {
            case DATE -> 6;
            case TIME_MICROS -> 8;
            case TIMESTAMP_UTC -> 10;
            case STRING -> 0;
            case DECIMAL -> 5;
            default -> -1; // a zone-less timestamp has no converted type: TIMESTAMP_MICROS means UTC-adjusted
        };
    }

    /** Writes the schema element's {@code logicalType} field (id 10), if the column has one. */
    void writeLogicalType(ThriftOut t) {
        switch (this) {
            case STRING -> t.struct(10).struct(1).end().end();
            case DATE -> t.struct(10).struct(6).end().end();
            case TIME_MICROS -> t.struct(10).struct(7).bool(1, false).struct(2).struct(2).end().end().end().end();
            case TIMESTAMP_LOCAL, TIMESTAMP_UTC -> t.struct(10).struct(8).bool(1, this == TIMESTAMP_UTC).struct(2)
                    .struct(2).end().end().end().end();
            default -> {
            }
        }
    }

    /** Reads a column back from its schema element (physical type, logical type). */
    static ParquetColumn read(java.util.Map<Integer, Object> element) throws java.io.IOException {
        long physical = ThriftIn.i64(element, 1);
        java.util.Map<Integer, Object> logical = ThriftIn.structField(element, 10);
        if (physical == 0) {
            return BOOLEAN;
        } else if (physical == 5) {
            return DOUBLE;
        } else if (physical == 1 && logical != null && logical.containsKey(6)) {
            return DATE;
        } else if (physical == 2 && logical != null && logical.containsKey(7)) {
            return TIME_MICROS;
        } else if (physical == 2 && logical != null && ThriftIn.structField(logical, 5) != null) {
            return DECIMAL;
        } else if (physical == 2 && logical != null && ThriftIn.structField(logical, 8) != null) {
            return Boolean.TRUE.equals(ThriftIn.structField(logical, 8).get(1)) ? TIMESTAMP_UTC : TIMESTAMP_LOCAL;
        } else if (physical == 2) {
            return INT64;
        } else if (physical == 6) {
            return logical != null && logical.containsKey(1) ? STRING : BYTES;
        }
        throw new java.io.IOException("Parquet column type " + physical + " is not one ExportDesk writes");
    }
}
