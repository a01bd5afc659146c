package dev.exportdesk.contract;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a contract's files are kept ({@code retention}, docs/contracts.md): delivered runs at the
 * destination, retained copies of delivered chunks in the workspace, and the staging files of runs
 * that finished or were abandoned. A null duration keeps those files for ever, as before retention
 * existed. Age counts from the run's completion (staging: the run's last heartbeat).
 */
public record RetentionPolicy(Duration delivered, Duration retainedCopies, Duration staging) {
    public static final RetentionPolicy KEEP_FOREVER = new RetentionPolicy(null, null, null);

    public boolean keepsForever() {
        return delivered == null && retainedCopies == null && staging == null;
    }

    public Optional<Duration> deliveredAge() {
        return Optional.ofNullable(delivered);
    }

    public Optional<Duration> retainedCopiesAge() {
        return Optional.ofNullable(retainedCopies);
    }

    public Optional<Duration> stagingAge() {
        return Optional.ofNullable(staging);
    }
}
