package dev.exportdesk.engine.delivery;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.Throttle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers a run's sealed chunks, up to {@code destination.parallel_transfers} at once, each
 * transfer over a connection of its own, all under one bandwidth cap. Capture hands chunks over in
 * sequence order and goes on packaging the next while earlier ones travel; the order in which they
 * arrive does not matter, because the partner reads a run only once its manifest is there and the
 * manifest goes last, after {@link #drain()}. At most {@code parallel} chunks are in flight, so
 * staging holds at most that many sealed chunks beyond the one being written.
 *
 * <p>With one transfer at a time the caller's thread delivers, over the run's own connection.
 * After a failure no further chunk starts; transfers in flight are aborted (their connections
 * closed, never their threads interrupted, which could close the H2 state store) and the first
 * failure is what {@link #submit} or {@link #drain} throws.
 */
public final class DeliveryPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPool.class);
    private static final long ABORT_GRACE_SECONDS = 30;
    private final EngineContext ctx;
    private final Contract contract;
    private final String runDirectory;
    private final Path staging;
    private final int parallel;
    private final Throttle throttle;
    private final ChunkDelivery primary;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final BlockingQueue<ChunkDelivery> idle;
    private final List<Destination> opened = new ArrayList<>();
    private final Set<ChunkDelivery> busy = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private boolean primaryLent;

    public DeliveryPool(EngineContext ctx, Contract contract, Destination destination, String runDirectory, Path staging) {
        this.ctx = ctx;
        this.contract = contract;
        this.runDirectory = runDirectory;
        this.staging = staging;
        TransferPolicy policy = contract.destination().policy();
        this.parallel = policy.parallelTransfers();
        this.throttle = new Throttle(policy.maxBytesPerSecond());
        this.primary = delivery(destination);
        if (parallel > 1) {
            AtomicInteger n = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(parallel, r -> {
                Thread t = new Thread(r, "exportdesk-transfer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.slots = new Semaphore(parallel);
            this.idle = new ArrayBlockingQueue<>(parallel);
        } else {
            this.workers = null;
            this.slots = null;
            this.idle = null;
        }
    }

    /** The run's own connection, for the files that follow the chunks (ledger proofs, SHA256SUMS, manifest). */
    public ChunkDelivery files() {
        return primary;
    }

    /**
     * Whether sealed {@code chunk} is lost: no staged copy on this machine (another worker's machine
     * sealed it) and nothing at its name at the destination. Ask before anything is submitted: it
     * uses the run's own connection.
     */
    public boolean lost(ChunkRecord chunk) throws RunFailure {
        return !chunk.state().delivered() && primary.lost(chunk);
    }

    /** Delivers {@code chunk}, or hands it to a free transfer slot, waiting for one if all are busy. */
    public void submit(ChunkRecord chunk) throws RunFailure, InterruptedException {
        if (chunk.state().delivered()) {
            return;
        }
        if (workers == null) {
            primary.deliver(chunk);
            return;
        }
        rethrow();
        slots.acquire();
        if (failure.get() != null) {
            slots.release();
            rethrow();
        }
        // the transfer thread works for the run: what it logs belongs in the run's log
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        workers.execute(() -> {
            ChunkDelivery delivery = null;
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                if (failure.get() == null) {
                    delivery = take();
                    busy.add(delivery);
                    delivery.deliver(chunk);
                }
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    abortInFlight(delivery);
                }
            } finally {
                if (delivery != null) {
                    busy.remove(delivery);
                    idle.add(delivery);
                }
                MDC.clear();
                slots.release();
            }
        });
    }

    /** Waits until every submitted chunk is delivered; throws the first failure. */
    public void drain() throws RunFailure, InterruptedException {
        if (workers != null) {
            slots.acquire(parallel);
            slots.release(parallel);
        }
        rethrow();
    }

    /**
     * After every chunk is delivered: removes temporary uploads that interrupted attempts left in
     * the run's folder (not before: an interrupted remote upload resumes from its temporary).
     */
    public void sweepTemporaries() {
        try {
            int removed = primary.destination().removeAbandonedTemporaries(runDirectory);
            if (removed > 0) {
                LOG.info("removed {} abandoned temporary upload(s) in {}", removed, runDirectory);
            }
        } catch (DeliveryException e) {
            LOG.warn("could not sweep temporary uploads in {}: {}", runDirectory, e.getMessage());
        }
    }

    private ChunkDelivery take() {
        ChunkDelivery d = idle.poll();
        if (d != null) {
            return d;
        }
        synchronized (opened) {
            // the first transfer borrows the run's connection (idle until the manifest); others open their own
            if (!primaryLent) {
                primaryLent = true;
                return primary;
            }
            Destination extra = EngineDestinations.open(ctx, contract.destination());
            opened.add(extra);
            return delivery(extra);
        }
    }

    private ChunkDelivery delivery(Destination destination) {
        return new ChunkDelivery(ctx, destination, contract.name(), contract.retry(), contract.destination().policy(),
                runDirectory, staging, throttle);
    }

    private void abortInFlight(ChunkDelivery except) {
        for (ChunkDelivery d : busy) {
            if (d != except) {
                d.stop();
            }
        }
    }

    private void rethrow() throws RunFailure, InterruptedException {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof RunFailure f) {
            throw new RunFailure(f.getMessage(), f);
        }
        if (t instanceof InterruptedException) {
            throw new InterruptedException("a transfer was interrupted");
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        throw new RunFailure("transfer failed: " + t, t);
    }

    /**
     * Stops the transfers: after a failure or a cancel the ones in flight are aborted; waits for
     * them to end (their chunk states are then durable), and closes the extra connections.
     */
    @Override
    public void close() {
        if (workers == null) {
            return;
        }
        failure.compareAndSet(null, new RunFailure("run stopped"));
        abortInFlight(null);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(ABORT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("transfers of {} still running {} s after they were aborted", contract.name(),
                        ABORT_GRACE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (opened) {
            opened.forEach(Destination::close);
        }
    }
}
