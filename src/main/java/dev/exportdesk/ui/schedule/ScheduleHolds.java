package dev.exportdesk.ui.schedule;

import dev.exportdesk.ui.runs.ExportsViewModel.TaskEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Due work the schedule leaves alone for now. A failed scheduled run stays due (its run is
 * unfinished), as does a verification that could not run, so without this they would be tried
 * again at every tick: instead they wait 1, 2, 4… minutes (at most an hour) between attempts. A
 * scheduled run a person cancelled is not started again by the schedule at all until the contract
 * stops being due (a person's Run now or Resume finished it). UI thread only.
 */
final class ScheduleHolds {
    static final Duration MAX_WAIT = Duration.ofHours(1);

    private record Hold(Instant until, int failures) {
    }

    private final Map<String, Hold> holds = new HashMap<>();

    void ended(String contract, TaskEnd end, Instant now) {
        switch (end) {
            case COMPLETED -> holds.remove(contract);
            case CANCELLED -> holds.put(contract, new Hold(Instant.MAX, 0));
            case FAILED -> {
                int failures = holds.containsKey(contract) ? holds.get(contract).failures() + 1 : 1;
                Duration wait = Duration.ofMinutes(1L << Math.min(failures - 1, 6));
                holds.put(contract, new Hold(now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait), failures));
            }
            default -> throw new IllegalStateException(end.name());
        }
    }

    /** Forgets holds of contracts that are no longer due: whatever was unfinished got finished. */
    void keepOnly(List<String> due) {
        holds.keySet().retainAll(due);
    }

    boolean holds(String contract, Instant now) {
        Hold h = holds.get(contract);
        return h != null && now.isBefore(h.until());
    }

    /** Why each held contract waits, for the status bar: until when, or for a person. */
    Map<String, Instant> heldUntil(Instant now) {
        Map<String, Instant> out = new TreeMap<>();
        holds.forEach((c, h) -> {
            if (now.isBefore(h.until())) {
                out.put(c, h.until());
            }
        });
        return out;
    }
}
