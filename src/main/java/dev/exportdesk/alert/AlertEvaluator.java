package dev.exportdesk.alert;

import dev.exportdesk.contract.AlertSpec;
import dev.exportdesk.contract.DurationText;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.AlertOutboxRepository;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ObservationRepository;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the state store says into alerts in the outbox: stopped runs, SLO breaches, overdue
 * and rejected receipts, schema drift, silent workers and replication slots about to be lost (or gone). Everything is read from the store, so a
 * stopped schedule is noticed by the timer without any run, and evaluating twice adds nothing: each
 * alert's episode (the run, or the last delivery an SLO breach counts from, or a worker's last
 * heartbeat) is its key in the outbox.
 */
final class AlertEvaluator {
    private final EngineServices services;
    private final Duration workerSilence;
    private final ObservationRepository observations = new ObservationRepository();
    private final AlertOutboxRepository outbox = new AlertOutboxRepository();

    AlertEvaluator(EngineServices services, Duration workerSilence) {
        this.services = services;
        this.workerSilence = workerSilence;
    }

    /** Adds the alerts not raised yet; returns how many. */
    int evaluate() {
        Map<String, AlertSpec> specs = new LinkedHashMap<>();
        for (ContractRecord record : services.contracts().list()) {
            AlertSpec.of(services.contracts().export(record.name(), Optional.empty()).body())
                    .ifPresent(s -> specs.put(record.name(), s));
        }
        if (specs.isEmpty()) {
            return 0;
        }
        var store = services.ctx().store();
        int added = 0;
        for (ObservationRepository.StoppedRun r : store.inTransaction(observations::stopped)) {
            boolean drift = r.state() == RunState.SCHEMA_DRIFT;
            String what = switch (r.state()) {
                case SCHEMA_DRIFT -> " stopped: the source's columns changed (schema drift)";
                case RESYNC_REQUIRED -> " stopped: the log can no longer give its changes (re-sync required)";
                default -> " failed";
            };
            added += raise(specs, r.contract(), drift ? AlertSpec.Kind.SCHEMA_DRIFT : AlertSpec.Kind.RUN_FAILURE,
                    "run " + r.runId(), "run " + r.sequence() + " of contract " + r.contract() + what);
        }
        for (ContractStatus s : services.status().contracts()) {
            if (s.sloBreached()) {
                added += raise(specs, s.contract(), AlertSpec.Kind.SLO_BREACH, "since " + s.lastCompletedAt(),
                        "contract " + s.contract() + ": delivery lag " + format(s.deliveryLag()) + " exceeds its SLO of "
                                + format(s.maxDeliveryLag()) + " (last completed run finished " + s.lastCompletedAt() + ")");
            }
        }
        for (RunRecord run : services.due().receipts()) {
            Optional<Acknowledgement> ack = services.acks().expected(run);
            if (ack.isPresent() && ack.get().state() == AckState.OVERDUE) {
                added += raise(specs, run.contractName(), AlertSpec.Kind.RECEIPT_OVERDUE, "run " + run.id(),
                        "contract " + run.contractName() + ": no partner receipt for run " + run.sequence()
                                + " by its deadline " + ack.get().deadline());
            }
        }
        for (ObservationRepository.ReceiptProblem p : store.inTransaction(observations::receiptProblems)) {
            added += raise(specs, p.contract(), AlertSpec.Kind.RECEIPT_REJECTED, "run " + p.runId(), "contract "
                    + p.contract() + ": the partner's receipt for run " + p.sequence() + " was not accepted ("
                    + p.state() + ")");
        }
        if (specs.values().stream().anyMatch(s -> s.alerts(AlertSpec.Kind.SLOT_AT_RISK))) {
            for (SlotReport r : services.status().slots()) {
                if (r.atRisk()) {
                    added += raise(specs, r.contract(), AlertSpec.Kind.SLOT_AT_RISK, "slot " + r.slot() + " "
                            + (r.resync() ? "gone" : "unreserved"), slotSummary(r));
                }
            }
        }
        Instant cutoff = services.ctx().now().minus(workerSilence);
        for (ObservationRepository.Worker w : store.inTransaction(observations::workers)) {
            if (w.lastHeartbeat() != null && w.lastHeartbeat().isBefore(cutoff)) {
                for (String contract : specs.keySet()) {
                    added += raise(specs, contract, AlertSpec.Kind.WORKER_SILENT, "worker " + w.name() + " "
                            + w.lastHeartbeat(), "worker " + w.name() + " has sent no heartbeat since "
                            + w.lastHeartbeat().truncatedTo(ChronoUnit.SECONDS));
                }
            }
        }
        return added;
    }

    /** Names and figures only, never the source's own words (docs/contracts.md, alerts). */
    private static String slotSummary(SlotReport r) {
        return r.resync() ? "contract " + r.contract() + ": replication slot " + r.slot() + " is lost or gone: re-sync "
                + "required" : "contract " + r.contract() + ": replication slot " + r.slot() + " is about to be lost "
                + "(wal_status unreserved, " + r.retainedBytes() + " bytes of WAL kept); run the contract now or raise "
                + "max_slot_wal_keep_size";
    }

    private int raise(Map<String, AlertSpec> specs, String contract, AlertSpec.Kind kind, String episode,
                      String summary) {
        AlertSpec spec = specs.get(contract);
        if (spec == null || !spec.alerts(kind)) {
            return 0;
        }
        int added = 0;
        Instant now = services.ctx().now();
        String key = episode.length() > 200 ? episode.substring(0, 200) : episode;
        if (spec.webhook() != null) {
            added += enqueue(contract, kind, key, Channel.WEBHOOK, summary, now);
        }
        if (!spec.emailTo().isEmpty()) {
            added += enqueue(contract, kind, key, Channel.EMAIL, summary, now);
        }
        return added;
    }

    private int enqueue(String contract, AlertSpec.Kind kind, String episode, Channel channel, String summary,
                        Instant now) {
        // a transaction each: on PostgreSQL a lost race (unique key) would abort a shared one
        return services.ctx().store().inTransaction(c -> outbox.enqueue(c, contract, kind.jsonName(), episode,
                channel.name(), summary, now)) ? 1 : 0;
    }

    private static String format(Duration d) {
        return d == null ? "?" : DurationText.format(d.truncatedTo(ChronoUnit.SECONDS));
    }
}
