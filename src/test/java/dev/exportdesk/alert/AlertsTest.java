package dev.exportdesk.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AlertOutboxRepository;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts end to end through real receivers: a JDK HTTP server on loopback that checks the HMAC, and
 * GreenMail's SMTP server. Each test states what was sent (or not), what the outbox recorded, and
 * that the run's own outcome is unchanged and no secret or source value left in any alert.
 */
@Timeout(120)
class AlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private AlertFixture fx;
    private GreenMail mail;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AlertFixture(dir);
        mail = new GreenMail(new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        new SmtpSettings(fx.workspace.store(), fx.clock).set("127.0.0.1", mail.getSmtp().getPort(),
                SmtpSettings.Security.NONE, "exportdesk@example.com", null, null, "admin");
    }

    @AfterEach
    void tearDown() {
        mail.stop();
        fx.close();
    }

    private ObjectNode withAlerts(ObjectNode contract, String url) {
        ObjectNode alerts = contract.putObject("alerts");
        if (url != null) {
            alerts.putObject("webhook").put("url", url).put("secret", "hook-key");
        }
        alerts.putObject("email").putArray("to").add("ops@example.com");
        return contract;
    }

    private void allowAndKey(String url) {
        new AlertEndpoints(fx.workspace.store(), fx.clock).allow(url, "admin");
        fx.vault.set("hook-key", AlertFixture.KEY, dev.exportdesk.secret.SecretScope.webhook(java.net.URI.create(url)),
                "admin");
    }

    @Test
    void aFailedRunAlertsASignedWebhookAndAnEmailOnceWithNamesOnly() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver(204)) {
            String url = hook.url("/hooks/exportdesk");
            allowAndKey(url);
            fx.importContract(withAlerts(fx.contract("orders", fx.blockedDrop()), url));
            RunResult failed = fx.run("orders");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            String runError = failed.run().error();
            assertThat(runError).isNotBlank();

            AlertService.Tick tick = fx.alerts().tick();

            assertThat(tick).isEqualTo(new AlertService.Tick(2, 2, null));
            assertThat(hook.requests).hasSize(1);
            WebhookReceiver.Request r = hook.requests.get(0);
            assertThat(r.method()).isEqualTo("POST");
            String timestamp = r.header("X-ExportDesk-Timestamp");
            assertThat(Long.parseLong(timestamp)).isBetween(Instant.now().getEpochSecond() - 300,
                    Instant.now().getEpochSecond() + 300);
            assertThat(r.header("X-ExportDesk-Signature")).isEqualTo("sha256=" + hmac(AlertFixture.KEY, timestamp, r.body()));
            assertThat(r.header("X-ExportDesk-Signature")).isNotEqualTo("sha256=" + hmac("another key", timestamp, r.body()));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("contract").asText()).isEqualTo("orders");
            assertThat(body.get("event").asText()).isEqualTo("run_failure");
            assertThat(body.get("episode").asText()).isEqualTo("run " + failed.run().id());

            assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
            MimeMessage[] received = mail.getReceivedMessages();
            assertThat(received).hasSize(1);
            assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com");
            assertThat(received[0].getSubject()).isEqualTo("ExportDesk alert: run_failure - orders");
            String wholeMail = GreenMailUtil.getWholeMessage(received[0]);

            // names only: no secret, no source value, not even the run's own error text (it may quote either)
            String sent = new String(r.body(), StandardCharsets.UTF_8) + r.headers() + wholeMail;
            assertThat(sent).doesNotContain(AlertFixture.KEY).doesNotContain(AlertFixture.SOURCE_MARKER)
                    .doesNotContain(runError);

            // evaluated again: the episode is known, nothing is raised or sent twice
            assertThat(fx.alerts().tick()).isEqualTo(new AlertService.Tick(0, 0, null));
            assertThat(hook.requests).hasSize(1);
            assertThat(mail.getReceivedMessages()).hasSize(1);
            assertThat(fx.outbox()).extracting(AlertOutboxRepository.Row::state).containsOnly("SENT");
            // the run's failure is what it was
            assertThat(reload(failed.run()).error()).isEqualTo(runError);
            assertThat(reload(failed.run()).state()).isEqualTo(RunState.FAILED);
        }
    }

    /**
     * An HttpClient's selector thread waits in native code, and a JVM leaving with such a thread
     * waits up to 300 ms for it: a CLI command that sends no webhook must not start one.
     */
    @Test
    void noHttpClientStartsUntilAWebhookIsSent() throws Exception {
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        AlertService alerts = fx.alerts();
        assertThat(alerts.tick()).isEqualTo(new AlertService.Tick(0, 0, null));
        assertThat(httpClientThreadsSince(before)).isEmpty();

        try (WebhookReceiver hook = new WebhookReceiver(204)) {
            String url = hook.url("/hooks/exportdesk");
            allowAndKey(url);
            fx.importContract(withAlerts(fx.contract("orders", fx.blockedDrop()), url));
            assertThat(fx.run("orders").run().state()).isEqualTo(RunState.FAILED);
            assertThat(alerts.tick()).isEqualTo(new AlertService.Tick(2, 2, null));
            assertThat(hook.requests).hasSize(1);
            // the check above can see one: the first send started it
            assertThat(httpClientThreadsSince(before)).isNotEmpty();
        }
    }

    private static List<String> httpClientThreadsSince(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).filter(n -> n.startsWith("HttpClient-")).toList();
    }

    @Test
    void aWebhookNotOnTheAllowListIsRefusedAtImportAndAtSendTime() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver(204)) {
            String url = hook.url("/hooks/exportdesk");
            ObjectNode contract = withAlerts(fx.contract("orders", fx.blockedDrop()), url);

            assertThatThrownBy(() -> fx.importContract(contract)).isInstanceOf(ContractValidationException.class)
                    .satisfies(e -> assertThat(((ContractValidationException) e).errors())
                            .anySatisfy(err -> {
                                assertThat(err.path()).isEqualTo("$.alerts.webhook.url");
                                assertThat(err.message()).contains("not an allowed alert endpoint");
                            }));
            assertThat(fx.services.contracts().list()).isEmpty();

            // allowed at import, withdrawn before the alert is sent: refused then, nothing sent, not retried
            allowAndKey(url);
            fx.importContract(contract);
            assertThat(new AlertEndpoints(fx.workspace.store(), fx.clock).revoke(url, "admin")).isTrue();
            fx.run("orders");
            fx.alerts().tick();

            assertThat(hook.requests).isEmpty();
            AlertOutboxRepository.Row webhook = fx.outbox().stream().filter(a -> a.channel().equals("WEBHOOK"))
                    .findFirst().orElseThrow();
            assertThat(webhook.state()).isEqualTo("GAVE_UP");
            assertThat(webhook.lastError()).contains("alerts.webhook.url").contains("not an allowed alert endpoint");
            // e-mail is another channel and still goes out
            assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
        }
    }

    @Test
    void anUnreachableWebhookIsRecordedAndRetriedAndTheRunsFailureStaysAsItWas() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/hook";
        allowAndKey(url);
        ObjectNode contract = fx.contract("orders", fx.blockedDrop());
        contract.putObject("alerts").putObject("webhook").put("url", url).put("secret", "hook-key");
        fx.importContract(contract);
        RunResult failed = fx.run("orders");
        String runError = failed.run().error();

        assertThat(fx.alerts().tick()).isEqualTo(new AlertService.Tick(1, 0, null));
        AlertOutboxRepository.Row first = single(fx.outbox());
        assertThat(first.state()).isEqualTo("PENDING");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).contains("webhook " + url);
        assertThat(first.nextAttemptAt()).isAfter(fx.clock.instant());

        // not due yet: no second attempt
        fx.alerts().tick();
        assertThat(single(fx.outbox()).attempts()).isEqualTo(1);
        // once the backoff has passed it is tried again, and still recorded
        fx.clock.advance(AlertDispatcher.backoff(1).plus(Duration.ofSeconds(1)));
        fx.alerts().tick();
        AlertOutboxRepository.Row second = single(fx.outbox());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.state()).isEqualTo("PENDING");
        assertThat(second.nextAttemptAt()).isAfter(first.nextAttemptAt());

        assertThat(reload(failed.run()).error()).isEqualTo(runError);
        assertThat(reload(failed.run()).state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aRedirectIsNotFollowedAndAKeyBoundElsewhereIsNotUsed() throws Exception {
        try (WebhookReceiver target = new WebhookReceiver(204);
             WebhookReceiver redirecting = new WebhookReceiver(302, target.url("/internal"))) {
            String url = redirecting.url("/hook");
            allowAndKey(url);
            ObjectNode contract = fx.contract("orders", fx.blockedDrop());
            contract.putObject("alerts").putObject("webhook").put("url", url).put("secret", "hook-key");
            fx.importContract(contract);
            fx.run("orders");

            fx.alerts().tick();

            assertThat(redirecting.requests).hasSize(1);
            assertThat(target.requests).as("the redirect's target").isEmpty();
            AlertOutboxRepository.Row row = single(fx.outbox());
            assertThat(row.state()).isEqualTo("PENDING");
            assertThat(row.lastError()).contains("HTTP 302").contains("redirects are not followed");

            // the key is bound to another origin: refused before anything is sent, and audited
            fx.vault.scope("hook-key", "webhook:https://elsewhere.example.com:443", "admin");
            fx.clock.advance(AlertDispatcher.backoff(1).plusSeconds(1));
            fx.alerts().tick();
            assertThat(redirecting.requests).hasSize(1);
            assertThat(single(fx.outbox()).lastError()).contains("hook-key").doesNotContain(AlertFixture.KEY);
            List<dev.exportdesk.store.AuditEntry> audit = fx.workspace.store().inTransaction(c -> fx.workspace.store()
                    .audit().recent(c, 50));
            assertThat(audit).anySatisfy(a -> assertThat(a.action()).isEqualTo("secret.refused"));
        }
    }

    @Test
    void aStoppedScheduleIsNoticedByTheTimerWithNoRun() throws Exception {
        ObjectNode contract = fx.contract("orders", dir.resolve("drop"));
        contract.putObject("schedule").put("interval", "5m");
        contract.putObject("slo").put("max_delivery_lag", "10m");
        contract.putObject("alerts").putObject("email").putArray("to").add("ops@example.com");
        fx.importContract(contract);
        assertThat(fx.run("orders").completed()).isTrue();
        assertThat(fx.alerts().tick().raised()).isZero();

        // nobody runs it for an hour: no run, no failure, only the clock
        fx.clock.advance(Duration.ofHours(1));
        AlertService.Tick tick = fx.alerts().tick();

        assertThat(tick.raised()).isEqualTo(1);
        assertThat(single(fx.outbox()).kind()).isEqualTo("slo_breach");
        assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("ExportDesk alert: slo_breach - orders");
        fx.clock.advance(Duration.ofMinutes(5));
        assertThat(fx.alerts().tick().raised()).as("same breach, same episode").isZero();
    }

    @Test
    void aWorkerGoneSilentIsReportedFromTheWorkersTableWhenThereIsOne() throws Exception {
        ObjectNode contract = fx.contract("orders", dir.resolve("drop"));
        ObjectNode alerts = contract.putObject("alerts");
        alerts.putObject("email").putArray("to").add("ops@example.com");
        alerts.putArray("on").add("worker_silent");
        fx.importContract(contract);
        assertThat(fx.alerts().tick().raised()).as("no workers: solo mode").isZero();

        java.time.Instant now = fx.clock.instant();
        java.time.Instant old = now.minus(Duration.ofMinutes(10));
        fx.workspace.store().update(c -> {
            var workers = fx.workspace.store().workers();
            workers.register(c, "w-live", "h", 1, now, now);
            workers.register(c, "w-gone", "h", 2, old, old);
            // stopped cleanly long ago: not silent
            workers.register(c, "w-stopped", "h", 3, old, old);
            workers.heartbeat(c, "w-stopped", dev.exportdesk.store.WorkerState.STOPPED, old);
        });
        assertThat(fx.alerts().tick().raised()).isEqualTo(1);
        AlertOutboxRepository.Row row = single(fx.outbox());
        assertThat(row.kind()).isEqualTo("worker_silent");
        assertThat(row.summary()).contains("w-gone").doesNotContain("w-live").doesNotContain("w-stopped");
    }

    @Test
    void alertsAreValidatedFieldByField() {
        ObjectNode base = fx.contract("orders", dir.resolve("drop"));
        assertInvalid(base, a -> a.putObject("webhook").put("url", "http://hooks.example.com/x").put("secret", "k"),
                "$.alerts.webhook.url", "https");
        assertInvalid(base, a -> a.putObject("webhook").put("url", "https://u:p@hooks.example.com/x").put("secret", "k"),
                "$.alerts.webhook.url", "user name or password");
        assertInvalid(base, a -> a.putObject("webhook").put("url", "https://hooks.example.com/x"),
                "$.alerts.webhook.secret", "is required");
        assertInvalid(base, a -> a.putObject("email").putArray("to").add("ops@example.com\r\nBcc: all@example.com"),
                "$.alerts.email.to[0]", "control");
        assertInvalid(base, a -> a.putObject("email").putArray("to").add("Ops <ops@example.com>"),
                "$.alerts.email.to[0]", "plain e-mail address");
        assertInvalid(base, a -> a.put("pager", "x"), "$.alerts.pager", "unknown field");
        assertInvalid(base, a -> {
            a.putObject("email").putArray("to").add("ops@example.com");
            a.putArray("on").add("run_failure").add("disk_full");
        }, "$.alerts.on", "not an alert event");
        assertThat(fx.services.contracts().list()).isEmpty();
    }

    private void assertInvalid(ObjectNode base, java.util.function.Consumer<ObjectNode> alerts, String path,
                               String words) {
        ObjectNode c = base.deepCopy();
        alerts.accept(c.putObject("alerts"));
        assertThatThrownBy(() -> fx.services.contracts().validate(c.toString(), "c.json", true))
                .isInstanceOf(ContractValidationException.class)
                .satisfies(e -> assertThat(((ContractValidationException) e).errors()).anySatisfy(err -> {
                    assertThat(err.path()).isEqualTo(path);
                    assertThat(err.message()).contains(words);
                }));
    }

    private RunRecord reload(RunRecord run) {
        return fx.workspace.store().inTransaction(c -> fx.workspace.store().runs().find(c, run.id())).orElseThrow();
    }

    private static AlertOutboxRepository.Row single(List<AlertOutboxRepository.Row> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String hmac(String key, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
