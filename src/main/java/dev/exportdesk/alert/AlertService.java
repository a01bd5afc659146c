package dev.exportdesk.alert;

import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.store.AlertOutboxRepository;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts for one workspace: {@link #tick} raises what the store shows (into the outbox) and sends
 * what is due. Called after {@code run --due}, from the console's schedule timer, by
 * {@code exportdesk monitor} and (team mode) by each worker; the store's outbox keeps them from
 * alerting twice. A failure here is logged and returned, never thrown into the caller's work: an
 * alert that cannot be sent must not change what a run reports.
 */
public final class AlertService {
    /** A worker without a heartbeat for this long is reported silent, unless told otherwise. */
    public static final Duration DEFAULT_WORKER_SILENCE = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private final EngineServices services;
    private final AlertEvaluator evaluator;
    private final AlertDispatcher dispatcher;

    public AlertService(EngineServices services, Duration workerSilence) {
        this.services = services;
        this.evaluator = new AlertEvaluator(services, workerSilence);
        this.dispatcher = new AlertDispatcher(services.ctx(), services.contracts());
    }

    public AlertService(EngineServices services) {
        this(services, DEFAULT_WORKER_SILENCE);
    }

    /** What one tick did; {@code error} is null when it completed. */
    public record Tick(int raised, int sent, String error) {
    }

    public Tick tick() {
        int raised = 0;
        int sent = 0;
        try {
            raised = evaluator.evaluate();
            sent = dispatcher.dispatch();
            return new Tick(raised, sent, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Tick(raised, sent, "interrupted");
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation stopped: {}", e.toString(), e);
            return new Tick(raised, sent, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The newest {@code limit} alerts, any state. */
    public List<AlertOutboxRepository.Row> recent(int limit) {
        return services.ctx().store().inTransaction(c -> new AlertOutboxRepository().recent(c, limit));
    }
}
