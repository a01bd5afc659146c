package dev.exportdesk.engine.team;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.CaptureStopped;
import dev.exportdesk.store.Lease;
import java.util.function.BooleanSupplier;

/**
 * A run a worker executes under its lease, and the cooperative ways to stop it: the heartbeat found
 * the lease lost, a Cancel request came, or the worker is stopping (SIGTERM). Each is noticed at the
 * run's next progress report, where the listener throws; no thread is ever interrupted (an interrupt
 * can close a store or file channel under the engine's feet).
 */
final class LeasedRun {
    /** The start of a parked run's error, so people and the console can tell it from a failure. */
    static final String PARKED = "parked: worker ";

    private final WorkClaims.Claim claim;
    private final String worker;
    private volatile boolean lost;
    private volatile String cancelledBy;

    LeasedRun(WorkClaims.Claim claim, String worker) {
        this.claim = claim;
        this.worker = worker;
    }

    WorkClaims.Claim claim() {
        return claim;
    }

    Lease lease() {
        return claim.lease();
    }

    void lost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    void cancel(String by) {
        cancelledBy = by;
    }

    ProgressListener listener(BooleanSupplier stopping) {
        return progress -> {
            if (lost) {
                throw new CaptureStopped("the lease on this run was lost (epoch " + lease().epoch() + ")");
            }
            String by = cancelledBy;
            if (by != null) {
                throw new CaptureStopped("cancelled by " + by);
            }
            if (stopping.getAsBoolean()) {
                throw new CaptureStopped(PARKED + worker + " stopped; another worker resumes the run");
            }
        };
    }
}
