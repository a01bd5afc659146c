package dev.exportdesk.source;

import java.sql.Types;
import java.util.Locale;

/**
 * How a column's values are canonically encoded. Derived from the JDBC type (and, where drivers
 * disagree, the type name) so H2 and PostgreSQL columns of the same kind encode identically.
 */
public enum ValueKind {
    INTEGER, DECIMAL, FLOAT, BOOLEAN, STRING, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, BINARY, OTHER;

    public static ValueKind of(int jdbcType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (name.equals("timestamptz") || name.contains("timestamp with time zone")) {
            return TIMESTAMP_TZ;
        }
        return switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOAT;
            case Types.BOOLEAN -> BOOLEAN;
            case Types.BIT -> name.equals("bool") || name.equals("boolean") || name.equals("bit") ? BOOLEAN : OTHER;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB -> STRING;
            case Types.DATE -> DATE;
            case Types.TIME -> TIME;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }

    public boolean temporal() {
        return this == DATE || this == TIMESTAMP || this == TIMESTAMP_TZ;
    }
}
