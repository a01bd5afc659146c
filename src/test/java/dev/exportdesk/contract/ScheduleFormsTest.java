package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two schedule forms: {@code schedule.interval} as before, and {@code schedule.cron} with a
 * zone, parsed by cron-utils; next starts in the zone across both daylight-saving changes; every
 * mistake named at its field, in words.
 */
class ScheduleFormsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String contract(String schedule) {
        return """
                {"name": "orders-to-acme", "partner": "acme", "source": "shop",
                 "table": "orders", "key_columns": ["id"], "cursor_columns": ["updated_at"],
                 "destination": {"type": "folder", "path": "/srv/drop"}, "schedule": %s}
                """.formatted(schedule);
    }

    private static List<String> errors(String schedule) {
        try {
            ContractCodec.parse(contract(schedule), "c.json");
        } catch (ContractValidationException e) {
            return e.errors().stream().map(ValidationError::toString).toList();
        }
        throw new AssertionError("accepted: " + schedule);
    }

    @Test
    void anIntervalStaysValidAndIsWrittenAsBefore() {
        Contract c = ContractCodec.parse(contract("{\"interval\": \"PT15M\"}"), "c.json");
        assertThat(c.schedule()).contains(new Schedule.Every(Duration.ofMinutes(15)));
        assertThat(ContractCodec.write(c)).contains("\"interval\" : \"15m\"").doesNotContain("cron");
        Instant created = Instant.parse("2026-12-04T10:00:00Z");
        assertThat(c.schedule().get().firstStart(created)).as("due at once").isEqualTo(created);
        assertThat(c.schedule().get().nextAfter(created)).isEqualTo(Instant.parse("2026-12-04T10:15:00Z"));
    }

    @Test
    void aCronScheduleParsesRoundTripsAndSaysItselfInWords() {
        Contract c = ContractCodec.parse(contract("{\"cron\": \"0 */2 * * *\", \"zone\": \"Europe/Berlin\"}"), "c.json");
        assertThat(c.schedule()).contains(new Schedule.Cron("0 */2 * * *", BERLIN));
        String canonical = ContractCodec.write(c);
        assertThat(canonical).contains("\"cron\" : \"0 */2 * * *\"").contains("\"zone\" : \"Europe/Berlin\"")
                .doesNotContain("interval");
        assertThat(ContractCodec.parse(canonical, "again.json")).isEqualTo(c);
        assertThat(c.schedule().get().describe()).contains("2 hours").endsWith("(0 */2 * * *, Europe/Berlin)");

        Contract utc = ContractCodec.parse(contract("{\"cron\": \"30 6 * * 1-5\"}"), "c.json");
        assertThat(utc.schedule()).contains(new Schedule.Cron("30 6 * * 1-5", ZoneId.of("UTC")));
        // a Friday evening: the next weekday 06:30 is Monday's
        assertThat(utc.schedule().get().nextAfter(Instant.parse("2026-12-04T18:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-07T06:30:00Z"));
        assertThat(utc.schedule().get().firstStart(Instant.parse("2026-12-04T18:00:00Z")))
                .as("the first start is the next cron time, not at once").isEqualTo(Instant.parse("2026-12-07T06:30:00Z"));
    }

    @Test
    void cronTimesKeepTheirLocalTimeAcrossDaylightSavingChanges() {
        Schedule daily = new Schedule.Cron("30 2 * * *", BERLIN);
        // spring forward, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist that day
        Instant beforeSpring = LocalDateTime.parse("2026-03-28T12:00").atZone(BERLIN).toInstant();
        Instant spring = daily.nextAfter(beforeSpring);
        assertThat(spring).as("the skipped 02:30 runs once the clock has jumped, at 03:30 CEST, not a day later")
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        Instant afterSpring = daily.nextAfter(spring);
        assertThat(afterSpring.atZone(BERLIN).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-03-30T02:30"));
        assertThat(afterSpring).as("02:30 CEST is 00:30 UTC").isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));

        // fall back, Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET; the day before and after keep 02:30 local
        Instant beforeFall = LocalDateTime.parse("2026-10-24T12:00").atZone(BERLIN).toInstant();
        Instant fall = daily.nextAfter(beforeFall);
        assertThat(fall).as("the first of the two 02:30s, CEST").isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        Instant between = Instant.parse("2026-10-25T01:10:00Z"); // 02:10 CET, after the first 02:30
        assertThat(daily.nextAfter(between)).as("a last start in the repeated hour: its second 02:30, once")
                .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        Instant afterFall = daily.nextAfter(fall);
        assertThat(afterFall.atZone(BERLIN).toLocalDateTime()).as("not a second 02:30 the same night")
                .isEqualTo(LocalDateTime.parse("2026-10-26T02:30"));
        assertThat(afterFall).as("02:30 CET is 01:30 UTC").isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(Duration.between(fall, afterFall)).isGreaterThan(Duration.ofHours(23));
    }

    @Test
    void everyScheduleMistakeIsNamedAtItsFieldInWords() {
        assertThat(errors("{\"cron\": \"0 */2 * *\"}")).singleElement().asString()
                .startsWith("$.schedule.cron: is not a five-field cron expression (minute hour day-of-month month "
                        + "day-of-week");
        assertThat(errors("{\"cron\": \"61 * * * *\"}")).singleElement().asString().startsWith("$.schedule.cron: ");
        assertThat(errors("{\"cron\": \"0 0 30 2 *\"}")).containsExactly(
                "$.schedule.cron: never fires (no such date ahead)");
        assertThat(errors("{\"interval\": \"1h\", \"cron\": \"0 * * * *\"}")).containsExactly(
                "$.schedule.cron: give either \"interval\" or \"cron\", not both");
        assertThat(errors("{\"interval\": \"1h\", \"zone\": \"Europe/Berlin\"}")).containsExactly(
                "$.schedule.zone: only a \"cron\" schedule takes a zone (an interval counts from the last start)");
        assertThat(errors("{\"cron\": \"0 * * * *\", \"zone\": \"Mars/Olympus\"}")).containsExactly(
                "$.schedule.zone: is not a time zone; use a region name such as \"Europe/Berlin\" or \"UTC\" "
                        + "(got \"Mars/Olympus\")");
        assertThat(errors("{\"cron\": \"0 * * * *\\u001b[31m\"}")).singleElement().asString()
                .startsWith("$.schedule.cron: contains a control or bidi-override character");
        assertThat(errors("{\"cron\": \"" + "1,".repeat(80) + "1 * * * *\"}")).singleElement().asString()
                .startsWith("$.schedule.cron: is ").contains("the limit is 120");
        assertThat(errors("{\"every\": \"1h\"}")).singleElement().asString().startsWith("$.schedule.every: unknown field");
    }

    @Test
    void aContractWithoutScheduleHasNone() {
        String json = contract("{}").replace(", \"schedule\": {}", "");
        assertThatThrownBy(() -> ContractCodec.parse(contract("{\"interval\": \"10s\"}"), "c.json"))
                .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.schedule.interval");
        assertThat(ContractCodec.parse(json, "c.json").schedule()).isEmpty();
    }
}
