package dev.exportdesk.engine.runs;

import dev.exportdesk.store.Lease;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.SegmentState;
import dev.exportdesk.store.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A worker's claims on key ranges of split runs (parallel backfills, docs/team-mode.md): claimed from
 * the store like runs, renewed by the worker's heartbeat, and given up when a capture ends. A claim
 * that cannot be renewed — another worker took the range over, or the run stopped capturing (failed
 * or cancelled) — is marked so that the capture stops at its next progress report.
 */
public final class SegmentWork {
    private final StateStore store;
    private final String worker;
    private final Duration timeout;
    /** Held claims, and why each must stop (null while it may go on). */
    private final Map<Lease, String> held = new ConcurrentHashMap<>();

    public SegmentWork(StateStore store, String worker, Duration timeout) {
        this.store = store;
        this.worker = worker;
        this.timeout = timeout;
    }

    /** A range of {@code runId} nobody captures, if the run's cap leaves room. */
    Optional<Lease> claim(String runId) {
        Optional<Lease> lease = store.inTransaction(c -> {
            store.leases().boundWaits(c, timeout);
            return store.segments().claim(c, runId, worker, timeout, store.leases().storeNow(c));
        });
        lease.ifPresent(l -> held.put(l, ""));
        return lease;
    }

    /** A range of any capturing run nobody captures, oldest run first. */
    public Optional<Lease> claimAny() {
        for (String runId : store.inTransaction(c -> store.segments().runsWithOpenSegments(c,
                store.leases().storeNow(c)))) {
            Optional<Lease> lease = claim(runId);
            if (lease.isPresent()) {
                return lease;
            }
        }
        return Optional.empty();
    }

    /** Why the capture under {@code lease} must stop now; empty while it may go on. */
    Optional<String> stopReason(Lease lease) {
        String why = held.get(lease);
        return why == null || why.isEmpty() ? Optional.empty() : Optional.of(why);
    }

    /**
     * Ends a capture's claim as {@code to} (CAPTURED, FAILED, or OPEN for the next worker) through the
     * store fenced by it; false when the claim was lost meanwhile.
     */
    boolean finish(Lease lease, SegmentState to, String error) {
        held.remove(lease);
        return store.fenced(lease).inTransaction(c -> store.segments().finish(c, lease, to, error,
                store.leases().storeNow(c)));
    }

    /** From the heartbeat: renews every held claim; {@code events} hears of each that must stop. */
    public void renew(Consumer<String> events) {
        for (Map.Entry<Lease, String> e : held.entrySet()) {
            Lease lease = e.getKey();
            if (!e.getValue().isEmpty()) {
                continue;
            }
            String why = store.inTransaction(c -> {
                store.leases().boundWaits(c, timeout); // a worker frozen in here is cut off, never blocks a takeover
                Instant now = store.leases().storeNow(c);
                if (store.segments().renew(c, lease, now)) {
                    Optional<RunState> state = store.runs().find(c, lease.runId()).map(r -> r.state());
                    return state.orElse(null) == RunState.CAPTURING ? "" : "the run is "
                            + state.map(x -> x.name().toLowerCase()).orElse("gone") + "; range " + lease.segment()
                            + " is left for when it resumes";
                }
                return "the claim on range " + lease.segment() + " could not be renewed (another worker took it "
                        + "over after it expired); writing nothing more";
            });
            // a capture that ended meanwhile removed its claim before ending it in the store: nothing was lost
            if (!why.isEmpty() && held.replace(lease, "", why)) {
                events.accept("range " + lease.segment() + " of run " + lease.runId() + " epoch " + lease.epoch()
                        + ": " + why);
            }
        }
    }

    /** A claim lost to another worker: nothing more to renew or end. */
    void forget(Lease lease) {
        held.remove(lease);
    }
}
