package dev.exportdesk.engine;

import java.time.Duration;

/**
 * What the engine tells an observer (metrics) as it works, beyond what the state store records:
 * how long steps took in this process. Called on the engine's threads; implementations must return
 * quickly and never throw. Only contract names are passed, never run ids or row values, so an
 * observer cannot grow a label per run.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {
    };

    /** A chunk was sealed, {@code took} after its first row was read. */
    default void chunkSealed(String contract, long rows, long bytes, Duration took) {
    }

    /** A chunk reached its destination, {@code took} from its first upload attempt. */
    default void chunkDelivered(String contract, Duration took) {
    }

    /** A delivery attempt failed and will be retried. */
    default void deliveryRetried(String contract) {
    }
}
