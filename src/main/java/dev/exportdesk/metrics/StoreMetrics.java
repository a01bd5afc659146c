package dev.exportdesk.metrics;

import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.ObservationRepository;
import dev.exportdesk.store.RunRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the state store at scrape time (at most once per {@link #MIN_REFRESH}), so any
 * process serving them, a worker or {@code exportdesk monitor}, exposes the whole team's state:
 * runs by state, rows and bytes delivered, retries and failures per contract, delivery lag against
 * each contract's SLO, receipt lag, workers and lease takeovers. Tags are contract names and run
 * states only. Team-mode series (workers, takeovers) appear when the store has the worker tables.
 */
public final class StoreMetrics {
    static final Duration MIN_REFRESH = Duration.ofSeconds(5);
    private final EngineServices services;
    private final Duration workerSilence;
    private final ObservationRepository observations = new ObservationRepository();
    private final MultiGauge runs;
    private final MultiGauge rows;
    private final MultiGauge bytes;
    private final MultiGauge retries;
    private final MultiGauge failures;
    private final MultiGauge lag;
    private final MultiGauge lagSlo;
    private final MultiGauge breached;
    private final MultiGauge receiptLag;
    private final MultiGauge overdue;
    private final MeterRegistry registry;
    private final AtomicLong workers = new AtomicLong();
    private final AtomicLong liveWorkers = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private boolean teamGauges;
    private Instant refreshed;

    public StoreMetrics(EngineServices services, MeterRegistry registry, Duration workerSilence) {
        this.services = services;
        this.registry = registry;
        this.workerSilence = workerSilence;
        runs = gauge("exportdesk.runs", "Runs in the store by contract and state");
        rows = gauge("exportdesk.rows.shipped", "Rows in delivered chunks, per contract");
        bytes = gauge("exportdesk.bytes.shipped", "Bytes of delivered chunk files, per contract");
        retries = gauge("exportdesk.delivery.retries", "Delivery attempts beyond each chunk's first, per contract");
        failures = gauge("exportdesk.run.failures", "Failed run attempts recorded in the audit log, per contract");
        lag = gauge("exportdesk.delivery.lag.seconds", "Age of the newest data the partner has, per contract");
        lagSlo = gauge("exportdesk.delivery.lag.slo.seconds", "The contract's SLO on delivery lag (slo.max_delivery_lag)");
        breached = gauge("exportdesk.slo.breached", "1 when the delivery lag exceeds the contract's SLO");
        receiptLag = gauge("exportdesk.receipt.lag.seconds", "Age of the oldest delivery still awaiting its partner "
                + "receipt, per contract (0: none awaited)");
        overdue = gauge("exportdesk.receipts.overdue", "Deliveries whose partner receipt is past its deadline");
    }

    private MultiGauge gauge(String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    /** Reads the store unless it was read less than {@link #MIN_REFRESH} ago. Throws when the store fails. */
    public synchronized void refresh() {
        Instant now = services.ctx().now();
        if (refreshed != null && Duration.between(refreshed, now).compareTo(MIN_REFRESH) < 0) {
            return;
        }
        var store = services.ctx().store();
        List<MultiGauge.Row<?>> runRows = new ArrayList<>();
        for (ObservationRepository.RunCount r : store.inTransaction(observations::runsByState)) {
            runRows.add(MultiGauge.Row.of(Tags.of("contract", r.contract(), "state", r.state()), r.count()));
        }
        runs.register(runRows, true);
        List<MultiGauge.Row<?>> rowRows = new ArrayList<>();
        List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
        List<MultiGauge.Row<?>> retryRows = new ArrayList<>();
        for (ObservationRepository.Shipped s : store.inTransaction(observations::shipped)) {
            rowRows.add(row(s.contract(), s.rows()));
            byteRows.add(row(s.contract(), s.bytes()));
            retryRows.add(row(s.contract(), s.retries()));
        }
        rows.register(rowRows, true);
        bytes.register(byteRows, true);
        retries.register(retryRows, true);
        failures.register(store.inTransaction(observations::failures).stream()
                .<MultiGauge.Row<?>>map(c -> row(c.contract(), c.count())).toList(), true);
        freshness(now);
        team(now);
        refreshed = now;
    }

    private void freshness(Instant now) {
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> sloRows = new ArrayList<>();
        List<MultiGauge.Row<?>> breachRows = new ArrayList<>();
        Map<String, Double> receiptAge = new HashMap<>();
        Map<String, Double> overdueCount = new HashMap<>();
        for (ContractStatus s : services.status().contracts()) {
            if (s.deliveryLag() != null) {
                lagRows.add(row(s.contract(), seconds(s.deliveryLag())));
            }
            if (s.maxDeliveryLag() != null) {
                sloRows.add(row(s.contract(), seconds(s.maxDeliveryLag())));
            }
            breachRows.add(row(s.contract(), s.sloBreached() ? 1 : 0));
            receiptAge.put(s.contract(), 0.0);
            overdueCount.put(s.contract(), 0.0);
        }
        for (RunRecord run : services.due().receipts()) {
            receiptAge.merge(run.contractName(), seconds(Duration.between(run.finishedAt(), now)), Math::max);
            if (services.acks().expected(run).map(a -> a.state() == AckState.OVERDUE).orElse(false)) {
                overdueCount.merge(run.contractName(), 1.0, Double::sum);
            }
        }
        lag.register(lagRows, true);
        lagSlo.register(sloRows, true);
        breached.register(breachRows, true);
        receiptLag.register(receiptAge.entrySet().stream().<MultiGauge.Row<?>>map(e -> row(e.getKey(), e.getValue()))
                .toList(), true);
        overdue.register(overdueCount.entrySet().stream().<MultiGauge.Row<?>>map(e -> row(e.getKey(), e.getValue()))
                .toList(), true);
    }

    /** Workers and takeovers: series of a team store only (a solo store has no workers). */
    private void team(Instant now) {
        var store = services.ctx().store();
        if (store.mode() != dev.exportdesk.store.StoreMode.TEAM) {
            return;
        }
        List<ObservationRepository.Worker> listed = store.inTransaction(observations::workers);
        Instant cutoff = now.minus(workerSilence);
        workers.set(listed.size());
        liveWorkers.set(listed.stream().filter(w -> w.lastHeartbeat() != null
                && !w.lastHeartbeat().isBefore(cutoff)).count());
        takeovers.set(store.inTransaction(observations::takeovers));
        if (!teamGauges) {
            Gauge.builder("exportdesk.workers", workers, AtomicLong::get).description("Workers that have not stopped")
                    .register(registry);
            Gauge.builder("exportdesk.workers.live", liveWorkers, AtomicLong::get)
                    .description("Workers whose last heartbeat is recent").register(registry);
            Gauge.builder("exportdesk.lease.takeovers", takeovers, AtomicLong::get)
                    .description("Runs taken over from a worker that went silent or stopped (lease history)").register(registry);
            teamGauges = true;
        }
    }

    private static MultiGauge.Row<?> row(String contract, double value) {
        return MultiGauge.Row.of(Tags.of("contract", contract), value);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
