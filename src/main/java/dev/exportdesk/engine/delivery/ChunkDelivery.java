package dev.exportdesk.engine.delivery;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.RetryPolicy;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.Lease;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination.WriteMode;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.HostKeyRejectedException;
import dev.exportdesk.transfer.StallWatchdog;
import dev.exportdesk.transfer.Throttle;
import dev.exportdesk.transfer.TransferProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers sealed chunks and a run's own files over one destination connection. The DELIVERING
 * state is made durable before the first byte leaves (so a sealed chunk can never be rebuilt with
 * other bytes after the partner may have seen it), and DELIVERED is made durable before anything
 * depends on it. Every attempt runs under the stall watchdog and the run's bandwidth cap, and is
 * recorded; transient errors retry with backoff.
 */
public final class ChunkDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkDelivery.class);
    private final EngineContext ctx;
    private final Destination destination;
    private final String contract;
    private final RetryPolicy policy;
    private final String runDirectory;
    private final Path staging;
    private final TransferPolicy transfer;
    private final Throttle throttle;
    private final StagedCopies staged;
    private volatile boolean stopped;

    ChunkDelivery(EngineContext ctx, Destination destination, String contract, RetryPolicy policy,
                  TransferPolicy transfer, String runDirectory, Path staging, Throttle throttle) {
        this.ctx = ctx;
        this.destination = destination;
        this.contract = contract;
        this.policy = policy;
        this.runDirectory = runDirectory;
        this.staging = staging;
        this.transfer = transfer;
        this.throttle = throttle;
        this.staged = new StagedCopies(ctx);
    }

    Destination destination() {
        return destination;
    }

    /** From another thread: abort the transfer in flight and make no further attempt. */
    void stop() {
        stopped = true;
        destination.abort();
    }

    void deliver(ChunkRecord chunk) throws RunFailure, InterruptedException {
        if (chunk.state().delivered()) {
            return;
        }
        String runId = chunk.runId();
        int seq = chunk.seq();
        ctx.store().updateDurably(c -> ctx.store().chunks().transition(c, runId, seq, ChunkState.DELIVERING,
                ctx.now()));
        Path local = locate(chunk);
        String remote = runDirectory + "/" + chunk.fileName();
        long started = System.nanoTime();
        try {
            withRetries("chunk " + chunk.fileName(), runId, seq, () -> {
                if (Files.exists(local)) {
                    upload(runId, seq, chunk.fileName(), remote, local, chunk.sha256(), WriteMode.CREATE);
                } else {
                    adoptDelivered(remote, chunk);
                }
            });
        } catch (RunFailure e) {
            ctx.store().updateDurably(c -> {
                ctx.store().chunks().recordError(c, runId, seq, ChunkState.FAILED, e.getMessage(), ctx.now());
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "chunk.fail", runId + "#" + seq, null,
                        e.getMessage());
            });
            throw e;
        }
        // a worker keeps its retained copies in its own workspace: say whose they are (the holder of the lease)
        String keeper = transfer.ackDeadline() == null ? null : ctx.store().lease().map(Lease::holder).orElse(null);
        ctx.store().updateDurably(c -> {
            ctx.store().chunks().transition(c, runId, seq, ChunkState.DELIVERED, ctx.now());
            if (keeper != null) {
                ctx.store().chunks().retainedBy(c, runId, seq, keeper);
            }
        });
        LOG.info("chunk {} delivered to {}", chunk.fileName(), destination.describe());
        ctx.events().chunkDelivered(contract, java.time.Duration.ofNanos(System.nanoTime() - started));
        if (transfer.ackDeadline() != null) {
            staged.retain(local, runId); // kept until the partner's receipt accepts it, for redelivery
        } else {
            try {
                Files.deleteIfExists(local);
            } catch (IOException e) {
                LOG.warn("could not remove staged chunk {}: {}", local, e.toString());
            }
        }
    }

    /** Under a lease, an earlier holder may have left the sealed bytes under its epoch's name. */
    Path locate(ChunkRecord chunk) throws RunFailure {
        if (ctx.store().lease().isEmpty()) {
            return staging.resolve(chunk.fileName());
        }
        try {
            return StagedChunks.locate(staging, chunk);
        } catch (IOException e) {
            throw new RunFailure("cannot look for the staged copy of chunk " + chunk.fileName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Neither a staged copy of sealed {@code chunk} is here nor a file at its name at the destination:
     * no partner can have seen any of its bytes (a file becomes visible only whole, at its name).
     */
    boolean lost(ChunkRecord chunk) throws RunFailure {
        if (Files.exists(locate(chunk), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            destination.connect();
            return destination.stat(runDirectory + "/" + chunk.fileName()).isEmpty();
        } catch (DeliveryException e) {
            throw new RunFailure("cannot ask " + destination.describe() + " whether it holds " + chunk.fileName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A run-level file (SHA256SUMS, manifest, ledger proofs), recorded as chunk 0. */
    public void deliverFile(String runId, String name, Path local, String sha256) throws RunFailure, InterruptedException {
        withRetries(name, runId, 0, () -> upload(runId, 0, name, runDirectory + "/" + name, local, sha256,
                WriteMode.CREATE));
        LOG.info("{} delivered", name);
    }

    /**
     * Replaces a delivered file the partner found wanting with its sealed bytes (redelivery after
     * a receipt), recorded like any attempt.
     */
    void redeliver(String runId, int seq, String name, Path local, String sha256)
            throws RunFailure, InterruptedException {
        withRetries("redelivery of " + name, runId, 0,
                () -> upload(runId, seq, name, runDirectory + "/" + name, local, sha256, WriteMode.REPLACE));
        LOG.info("{} redelivered with its sealed bytes", name);
    }

    /**
     * One upload attempt under the stall watchdog, recorded in transfer_attempts whatever its outcome;
     * a refused host key is also written to the audit log.
     */
    private void upload(String runId, int seq, String name, String remote, Path local, String sha256,
                        WriteMode mode) throws DeliveryException {
        TransferProgress progress = new TransferProgress(throttle);
        Instant started = ctx.now();
        long t0 = System.nanoTime();
        String outcome = "OK";
        String error = null;
        try {
            destination.connect();
            StallWatchdog.guard(destination, transfer.stallTimeout(), progress,
                    () -> destination.write(remote, local, sha256, progress, mode));
        } catch (DeliveryException e) {
            outcome = e instanceof StallWatchdog.Stalled ? "STALLED" : e.permanent() ? "FAILED" : "RETRY";
            error = e.getMessage();
            if (e instanceof HostKeyRejectedException rejected) {
                ctx.store().updateDurably(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(),
                        "destination.host-key-rejected", destination.describe(), null,
                        "{\"presented\":\"" + rejected.presented() + "\"}"));
            }
            throw e;
        } finally {
            TransferAttempt attempt = new TransferAttempt(runId, seq, name, 0, started,
                    (System.nanoTime() - t0) / 1_000_000, progress.resumedFromOffset(), progress.sentBytes(), outcome,
                    error);
            ctx.store().update(c -> ctx.store().transferAttempts().add(c, attempt));
        }
    }

    /**
     * The staged copy of a sealed chunk is gone (delivered and cleaned before the state update
     * landed): accept the destination's copy only if it has exactly the sealed bytes.
     */
    private void adoptDelivered(String remote, ChunkRecord chunk) throws DeliveryException {
        if (destination.stat(remote).isEmpty()) {
            throw new DeliveryException("the staged copy of sealed chunk " + chunk.fileName() + " is missing and the "
                    + "destination does not hold it; it cannot be re-sent with identical bytes", true);
        }
        try (InputStream in = destination.open(remote)) {
            String sha = Hashing.digest(in).sha256();
            if (!sha.equals(chunk.sha256())) {
                throw new DeliveryException("destination copy of " + chunk.fileName() + " hashes to " + sha
                        + ", not the sealed " + chunk.sha256(), true);
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot read back " + remote + ": " + e, false, e);
        }
    }

    /** One delivery step that may fail transiently. */
    private interface Step {
        void run() throws DeliveryException;
    }

    /** Runs {@code step} with the contract's retry policy; attempts are recorded on the chunk (seq ≥ 1). */
    private void withRetries(String what, String runId, int seq, Step step) throws RunFailure, InterruptedException {
        int failures = 0;
        while (true) {
            if (seq > 0) {
                ctx.store().update(c -> ctx.store().chunks().recordAttempt(c, runId, seq, ctx.now()));
            }
            try {
                step.run();
                return;
            } catch (DeliveryException e) {
                failures++;
                if (stopped) {
                    throw new RunFailure(what + ": stopped with the run (" + e.getMessage() + ")", e);
                }
                if (e.permanent() || failures >= policy.maxAttempts()) {
                    String why = e.permanent() ? "" : " (gave up after " + failures + " attempts)";
                    LOG.warn("{} to {} failed (attempt {} of {}){}: {}", what, destination.describe(), failures,
                            policy.maxAttempts(), e.permanent() ? ", not retried: the error is permanent" : "",
                            e.getMessage());
                    throw new RunFailure(what + ": " + e.getMessage() + why, e);
                }
                long delay = Backoff.delayMillis(policy, failures);
                LOG.warn("{} to {} failed (attempt {} of {}), retrying in {} ms: {}", what, destination.describe(),
                        failures, policy.maxAttempts(), delay, e.getMessage());
                if (seq > 0) {
                    int attempt = failures;
                    ctx.store().update(c -> ctx.store().chunks().recordError(c, runId, seq,
                            ChunkState.DELIVERING, "attempt " + attempt + ": " + e.getMessage(), ctx.now()));
                }
                ctx.events().deliveryRetried(contract);
                ctx.sleeper().sleep(delay);
            }
        }
    }
}
