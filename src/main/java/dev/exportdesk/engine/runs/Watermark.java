package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.ValueKind;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A value of a contract's leading cursor column as an operator types it ({@code resync --from}),
 * turned into the canonical value the capture compares with. Date/time columns take an ISO date,
 * date-time (read as UTC) or date-time with offset; numbers take a decimal literal; text is taken
 * as it is. Any other kind cannot start a re-send, and the message says so.
 */
final class Watermark {
    private static final int MAX_LENGTH = 200;

    private Watermark() {
    }

    static Object parse(String text, ColumnInfo column) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.length() > MAX_LENGTH) {
            throw refused(column, "give a value of at most " + MAX_LENGTH + " characters");
        }
        ValueKind kind = column.kind();
        try {
            return switch (kind) {
                case INTEGER -> Long.parseLong(t);
                case DECIMAL -> new BigDecimal(t).toPlainString();
                case STRING -> t;
                case DATE, TIMESTAMP, TIMESTAMP_TZ -> CanonicalValues.fromInstant(instant(t), kind);
                default -> throw refused(column, "a " + column.typeName() + " cursor cannot start a re-send");
            };
        } catch (NumberFormatException | DateTimeException e) {
            throw refused(column, kind.temporal() ? "use an ISO date or date-time, e.g. 2026-11-30 or "
                    + "2026-11-30T08:00:00Z (without an offset it is UTC)" : "not a number");
        }
    }

    private static Instant instant(String t) {
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        char last = t.charAt(t.length() - 1);
        boolean offset = last == 'Z' || last == 'z' || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10;
        return offset ? OffsetDateTime.parse(t.replace(' ', 'T')).toInstant()
                : LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    private static EngineException refused(ColumnInfo column, String why) {
        return new EngineException("the re-sync's start (--from) is not a value of cursor column "
                + column.outputName() + ": " + why);
    }
}
