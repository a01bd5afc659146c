package dev.exportdesk.ui.workers;

import dev.exportdesk.access.TeamGuard;
import dev.exportdesk.store.LeaseRow;
import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.WorkerRecord;
import dev.exportdesk.store.WorkerState;
import dev.exportdesk.text.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One worker as the Workers view shows it. Names, hosts and holders are written by other machines'
 * processes into the shared store, so they are made safe to show.
 */
public record WorkerRow(String name, String host, String heartbeat, String state, String holds, boolean silent) {
    /**
     * A worker's default lease timeout ({@code worker --lease-timeout}): a running worker that has not
     * beaten for longer has lost its leases to takeovers, unless it was started with a longer one.
     */
    static final Duration SILENT_AFTER = Duration.ofSeconds(30);

    static List<WorkerRow> of(TeamGuard.Overview o) {
        return o.workers().stream().map(w -> of(w, o.held().stream().filter(l -> w.name().equals(l.holder()))
                .toList(), o.takeovers().stream().filter(t -> w.name().equals(t.from())).map(LeaseTakeover::at)
                .max(Instant::compareTo).orElse(null), o.at())).toList();
    }

    /**
     * Silent: a lease it holds has expired, or a run was taken over from it after its last heartbeat
     * (the store found its lease expired, whatever timeout it was started with), or it has not beaten
     * for {@link #SILENT_AFTER}. A stopped worker is never silent.
     */
    static WorkerRow of(WorkerRecord w, List<LeaseRow> held, Instant lastTakenFrom, Instant now) {
        Duration age = w.heartbeatAt() == null ? null : Duration.between(w.heartbeatAt(), now);
        boolean expired = held.stream().anyMatch(l -> l.expiresAt() != null && l.expiresAt().isBefore(now));
        boolean lost = lastTakenFrom != null && w.heartbeatAt() != null && w.heartbeatAt().isBefore(lastTakenFrom);
        boolean silent = w.state() != WorkerState.STOPPED && (expired || lost || age == null
                || age.compareTo(SILENT_AFTER) > 0);
        String holds = held.stream().map(l -> Text.safe(l.contract()) + " #" + l.sequence()
                + (l.segment() > 0 ? " range " + l.segment() : "") + " (epoch " + l.epoch() + ")")
                .collect(Collectors.joining(", "));
        return new WorkerRow(Text.safe(w.name()), Text.safe(w.host()), age == null ? "never" : ago(age)
                + (silent ? " — silent" : ""), w.state().name().toLowerCase(java.util.Locale.ROOT), holds, silent);
    }

    /** An age in words: "3 s ago", "4 min ago", "2 h ago", "5 d ago". */
    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        if (s < 172_800) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }
}
