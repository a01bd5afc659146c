package dev.exportdesk.contract;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * When a contract runs by itself: every {@code schedule.interval} after its last run's start, or
 * at the times of a five-field Unix cron expression ({@code schedule.cron}, parsed by cron-utils)
 * on the wall clock of {@code schedule.zone}, so a daily "0 2 * * *" stays at 02:00 local time
 * across daylight-saving changes (see {@link Cron#nextAfter} for the skipped and repeated hour).
 */
public sealed interface Schedule permits Schedule.Every, Schedule.Cron {

    /** The next start after the last run's start. */
    Instant nextAfter(Instant lastStart);

    /** The first start of a contract that has never completed a run, created at {@code created}. */
    Instant firstStart(Instant created);

    /** The schedule in words for the console and {@code status}: "every 15m", "every 2 hours (0 *&#47;2 * * *, Europe/Berlin)". */
    String describe();

    /** {@code schedule.interval}: the next start is one interval after the last run's start. */
    record Every(Duration interval) implements Schedule {
        @Override
        public Instant nextAfter(Instant lastStart) {
            return lastStart.plus(interval);
        }

        /** Due at once: an interval says how often, not when first. */
        @Override
        public Instant firstStart(Instant created) {
            return created;
        }

        @Override
        public String describe() {
            return "every " + DurationText.format(interval);
        }
    }

    /** {@code schedule.cron} in {@code schedule.zone}: the first cron time after the last run's start. */
    record Cron(String expression, ZoneId zone) implements Schedule {
        /**
         * The next cron time on the zone's wall clock, found on a clock without daylight saving and
         * then placed in the zone: a time the spring change skips (02:30 on that night) runs when the
         * clock has jumped (03:30), not a day later as cron-utils alone would; a time the autumn change
         * repeats runs once, at its first occurrence (or its second when the last start lies between).
         */
        @Override
        public Instant nextAfter(Instant lastStart) {
            ExecutionTime times = ExecutionTime.forCron(CronText.parse(expression));
            ZonedDateTime wallClock = lastStart.atZone(zone).toLocalDateTime().atZone(ZoneOffset.UTC);
            for (int i = 0; i < 4; i++) { // a repeated hour can hold the last start: at most a few steps
                Optional<ZonedDateTime> next = times.nextExecution(wallClock);
                if (next.isEmpty()) {
                    return Instant.MAX; // the codec refuses an expression that never fires
                }
                ZonedDateTime there = ZonedDateTime.ofLocal(next.get().toLocalDateTime(), zone, null);
                if (there.toInstant().isAfter(lastStart)) {
                    return there.toInstant();
                }
                if (there.withLaterOffsetAtOverlap().toInstant().isAfter(lastStart)) {
                    return there.withLaterOffsetAtOverlap().toInstant();
                }
                wallClock = next.get();
            }
            return Instant.MAX;
        }

        @Override
        public Instant firstStart(Instant created) {
            return nextAfter(created);
        }

        @Override
        public String describe() {
            return CronText.describe(expression) + " (" + expression + ", " + zone.getId() + ")";
        }
    }

    /** Parsing and describing the cron form, in one place for the codec and the schedule. */
    final class CronText {
        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        /** Longer than any sensible five-field expression; a bound on what reaches the parser. */
        static final int MAX_LENGTH = 120;

        private CronText() {
        }

        static com.cronutils.model.Cron parse(String expression) {
            com.cronutils.model.Cron cron = PARSER.parse(expression);
            cron.validate();
            return cron;
        }

        /** Why {@code expression} is not a usable schedule, in words, or empty when it is one. */
        static Optional<String> problem(String expression, ZoneId zone) {
            if (expression.length() > MAX_LENGTH) {
                return Optional.of("is longer than " + MAX_LENGTH + " characters");
            }
            com.cronutils.model.Cron cron;
            try {
                cron = parse(expression);
            } catch (IllegalArgumentException e) {
                return Optional.of("is not a five-field cron expression (minute hour day-of-month month "
                        + "day-of-week, e.g. \"0 */2 * * *\"): " + dev.exportdesk.text.Text.safe(e.getMessage()));
            }
            Optional<ZonedDateTime> next = ExecutionTime.forCron(cron).nextExecution(ZonedDateTime.now(zone));
            return next.isPresent() ? Optional.empty() : Optional.of("never fires (no such date ahead)");
        }

        static String describe(String expression) {
            try {
                return CronDescriptor.instance(Locale.UK).describe(parse(expression));
            } catch (RuntimeException e) {
                return "cron " + expression;
            }
        }
    }
}
