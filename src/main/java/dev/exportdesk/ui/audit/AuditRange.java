package dev.exportdesk.ui.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Which audit entries the store is asked for: at or after {@code from}, before {@code to}; a null
 * end is open. Built from a quick period back from now, or from two days (UTC, both included).
 */
public record AuditRange(Instant from, Instant to) {
    public static final AuditRange ANY_TIME = new AuditRange(null, null);

    /** The choices of the "When" box; {@link #DATES} means the two date pickers. */
    public enum Period {
        ANY("Any time", null),
        LAST_24_HOURS("Last 24 h", Duration.ofHours(24)),
        LAST_7_DAYS("Last 7 days", Duration.ofDays(7)),
        LAST_30_DAYS("Last 30 days", Duration.ofDays(30)),
        DATES("Between dates", null);

        private final String label;
        private final Duration back;

        Period(String label, Duration back) {
            this.label = label;
            this.back = back;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Why the days cannot be asked for, or null when they can. */
    public static String problem(LocalDate from, LocalDate to) {
        return from != null && to != null && from.isAfter(to)
                ? "\"From\" " + from + " is after \"to\" " + to + ": no entry could match." : null;
    }

    /** The range of {@code period} at {@code now}; for {@link Period#DATES}, of the two days (check {@link #problem} first). */
    public static AuditRange of(Period period, LocalDate from, LocalDate to, Instant now) {
        if (period.back != null) {
            return new AuditRange(now.minus(period.back), null);
        }
        if (period == Period.ANY) {
            return ANY_TIME;
        }
        // "to" includes its day: the range ends where the next day starts
        return new AuditRange(from == null ? null : from.atStartOfDay().toInstant(ZoneOffset.UTC),
                to == null ? null : to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
