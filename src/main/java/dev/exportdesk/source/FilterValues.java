package dev.exportdesk.source;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Values a row filter compares, brought to one comparable type per column kind, for a captured
 * canonical value and a contract literal alike: numbers as {@link BigDecimal} (floats as
 * {@link Double}, which also orders NaN and the infinities), dates and times as {@code java.time}
 * values, instants for time-zoned timestamps. Text compares only for equality, so no collation
 * question arises.
 */
public final class FilterValues {
    private FilterValues() {
    }

    /** The comparable form of {@code value} for a column of {@code kind}; throws when it is not one. */
    @SuppressWarnings("rawtypes")
    public static Comparable comparable(Object value, ValueKind kind) {
        return switch (kind) {
            case INTEGER, DECIMAL -> value instanceof Boolean ? fail(value, kind) : new BigDecimal(value.toString());
            case FLOAT -> value instanceof Boolean ? fail(value, kind) : (Comparable) Double.valueOf(value.toString());
            case BOOLEAN -> value instanceof Boolean b ? b : fail(value, kind);
            case STRING -> value instanceof String s ? s : fail(value, kind);
            case DATE -> LocalDate.parse(text(value, kind));
            case TIME -> LocalTime.parse(text(value, kind));
            case TIMESTAMP -> LocalDateTime.parse(text(value, kind));
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text(value, kind)).toInstant();
            case BINARY, OTHER -> fail(value, kind);
        };
    }

    /** Whether a filter may order ({@code <}, {@code >=} …) values of {@code kind}. */
    public static boolean orderable(ValueKind kind) {
        return kind != ValueKind.STRING && kind != ValueKind.BOOLEAN && comparableKind(kind);
    }

    /** Whether a filter may compare values of {@code kind} with a literal at all. */
    public static boolean comparableKind(ValueKind kind) {
        return kind != ValueKind.BINARY && kind != ValueKind.OTHER;
    }

    private static String text(Object value, ValueKind kind) {
        return value instanceof String s ? s : fail(value, kind);
    }

    private static <T> T fail(Object value, ValueKind kind) {
        throw new IllegalArgumentException("a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " column is not compared with " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
}
