package dev.exportdesk.alert;

import dev.exportdesk.contract.AlertSpec;
import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.store.AlertOutboxRepository;
import dev.exportdesk.store.AlertSmtpRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due alerts. Each send is claimed in the store first (its attempt counted and
 * its next attempt pushed out), so two processes never send one alert at once, and a failure leaves
 * it PENDING with the reason until {@link #MAX_ATTEMPTS}. What a contract allows is re-read at
 * send time: a webhook taken off the allow-list, or alerts removed from the contract, stop at once.
 */
final class AlertDispatcher {
    static final int MAX_ATTEMPTS = 10;
    static final int BATCH = 50;
    /**
     * A tick stops starting sends after this long (each send is bounded by its own timeouts): a
     * `run --due` from cron must not hang on a batch of unreachable endpoints; the rest wait for
     * the next tick.
     */
    static final Duration BUDGET = Duration.ofSeconds(60);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private final EngineContext ctx;
    private final ContractService contracts;
    private final AlertEndpoints endpoints;
    private final SmtpSettings smtp;
    private final AlertOutboxRepository outbox = new AlertOutboxRepository();
    private final WebhookSender webhooks = new WebhookSender();
    private final EmailSender mail = new EmailSender();

    AlertDispatcher(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.endpoints = new AlertEndpoints(ctx.store(), ctx.clock());
        this.smtp = new SmtpSettings(ctx.store(), ctx.clock());
    }

    /** The answer a send gives up on at once: retrying cannot make it allowed. */
    private static final class Refused extends AlertException {
        Refused(String message) {
            super(message);
        }
    }

    /** Sends what is due; returns how many were sent. */
    int dispatch() throws InterruptedException {
        Instant now = ctx.now();
        List<AlertOutboxRepository.Row> due = ctx.store().inTransaction(c -> outbox.due(c, now, BATCH));
        int sent = 0;
        long stopAt = System.nanoTime() + BUDGET.toNanos();
        for (AlertOutboxRepository.Row row : due) {
            if (System.nanoTime() > stopAt) {
                break;
            }
            Instant retryAt = now.plus(backoff(row.attempts() + 1));
            if (!ctx.store().inTransaction(c -> outbox.claim(c, row, retryAt))) {
                continue;
            }
            try {
                send(row);
                ctx.store().update(c -> outbox.sent(c, row.id(), ctx.now()));
                sent++;
            } catch (AlertException | dev.exportdesk.secret.SecretException | dev.exportdesk.engine.EngineException e) {
                boolean giveUp = e instanceof Refused || row.attempts() + 1 >= MAX_ATTEMPTS;
                LOG.warn("alert {} ({} {} of {}) not sent{}: {}", row.id(), row.channel(), row.kind(), row.contract(),
                        giveUp ? ", giving up" : ", retrying at " + retryAt, e.getMessage());
                ctx.store().update(c -> outbox.failed(c, row.id(), e.getMessage(), giveUp));
            }
        }
        return sent;
    }

    static Duration backoff(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private void send(AlertOutboxRepository.Row row) throws InterruptedException {
        Optional<AlertSpec> spec = AlertSpec.of(contracts.export(row.contract(), Optional.empty()).body());
        if (spec.isEmpty()) {
            throw new Refused("contract " + row.contract() + " has no alerts any more");
        }
        if (Channel.valueOf(row.channel()) == Channel.WEBHOOK) {
            webhook(row, spec.get());
        } else {
            email(row, spec.get());
        }
    }

    private void webhook(AlertOutboxRepository.Row row, AlertSpec spec) throws InterruptedException {
        if (spec.webhook() == null) {
            throw new Refused("contract " + row.contract() + " has no webhook any more");
        }
        String url = spec.webhook().toString();
        if (AlertSpec.urlProblem(url).isPresent() || !endpoints.allowed(url)) {
            throw new Refused("alerts.webhook.url: \"" + url + "\" is not an allowed alert endpoint (nothing sent); "
                    + "an administrator allows it with `exportdesk alerts allow " + url + "`");
        }
        String key = ctx.secrets().resolve(SecretRef.secret(spec.webhookSecret()), SecretScope.webhook(spec.webhook()));
        webhooks.send(spec.webhook(), key, row.id(), AlertBody.json(row), ctx.clock().instant().getEpochSecond());
    }

    private void email(AlertOutboxRepository.Row row, AlertSpec spec) {
        if (spec.emailTo().isEmpty()) {
            throw new Refused("contract " + row.contract() + " has no e-mail recipients any more");
        }
        AlertSmtpRepository.Settings server = smtp.get().orElseThrow(() -> new AlertException("no SMTP server is "
                + "set; an administrator sets one with `exportdesk alerts smtp`"));
        String password = server.passwordSecret() == null ? null : ctx.secrets().resolve(
                SecretRef.secret(server.passwordSecret()), SecretScope.smtp(server.host(), server.port()));
        mail.send(server, password, spec.emailTo(), AlertBody.subject(row), AlertBody.text(row));
    }
}
