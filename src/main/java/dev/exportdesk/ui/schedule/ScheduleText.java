package dev.exportdesk.ui.schedule;

import dev.exportdesk.engine.DueWork;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The status bar's schedule line: what runs, what comes next, what is awaited. */
final class ScheduleText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private ScheduleText() {
    }

    static String describe(DueWork.Plan plan, Set<String> running, Map<String, Instant> held, boolean mayVerify,
                           int awaitedReceipts) {
        List<String> parts = new ArrayList<>();
        if (!running.isEmpty()) {
            parts.add(String.join(", ", running.stream().sorted().toList()) + " running");
        }
        held.forEach((contract, until) -> parts.add(contract + (until.equals(Instant.MAX)
                ? " held: its scheduled run was cancelled (Run now or Resume continues it)"
                : " held after a failure until " + TIME.format(until))));
        plan.nextStart().ifPresent(n -> parts.add("next " + n.contract() + " at " + TIME.format(n.at())));
        if (plan.nextStart().isEmpty() && running.isEmpty()) {
            parts.add("no scheduled start ahead");
        }
        if (!plan.paused().isEmpty()) {
            parts.add(plan.paused().size() > 2 ? plan.paused().size() + " contracts paused"
                    : String.join(", ", plan.paused()) + " paused");
        }
        if (awaitedReceipts > 0) {
            parts.add(awaitedReceipts + (awaitedReceipts == 1 ? " receipt" : " receipts") + " awaited");
        }
        if (!mayVerify && !plan.verifications().isEmpty()) {
            parts.add(plan.verifications().size() + " verification(s) due, paused: they need the verify permission");
        }
        return "Schedule: " + (parts.isEmpty() ? "nothing due" : String.join(" · ", parts));
    }
}
