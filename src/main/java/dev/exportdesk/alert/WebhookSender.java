package dev.exportdesk.alert;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs one alert to a webhook, signed: {@code X-ExportDesk-Signature: sha256=HEX} is the
 * HMAC-SHA256, under the contract's webhook secret, of {@code TIMESTAMP + "." + BODY}, where
 * TIMESTAMP is {@code X-ExportDesk-Timestamp} (Unix seconds) so a receiver can refuse replays.
 * Redirects are not followed (a 3xx is a failure), no proxy is used, connecting and answering are
 * bounded in time, and the response body is never read.
 */
final class WebhookSender {
    static final String TIMESTAMP_HEADER = "X-ExportDesk-Timestamp";
    static final String SIGNATURE_HEADER = "X-ExportDesk-Signature";
    static final String ID_HEADER = "X-ExportDesk-Alert-Id";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Built at the first send, not with the dispatcher: building one loads the JDK's TLS trust store
     * and starts a selector thread that waits in native code, and a JVM leaving with such a thread
     * waits up to 300 ms for it — every CLI command paid both, with or without a webhook
     * (BENCHMARKS.md, 2026-12-05 evening).
     */
    private HttpClient client;

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .build();
        }
        return client;
    }

    void send(URI url, String key, long id, byte[] body, long epochSeconds) throws InterruptedException {
        String timestamp = Long.toString(epochSeconds);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(RESPONSE_TIMEOUT)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + sign(key, timestamp, body))
                .header(ID_HEADER, Long.toString(id))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AlertException("webhook " + url + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        try (InputStream ignored = response.body()) {
            // closing unread discards the rest: a receiver cannot make us read or keep an unbounded answer
        } catch (IOException e) {
            // the status line was read; an error closing the rest changes nothing
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new AlertException("webhook " + url + " answered HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        }
    }

    static String sign(String key, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
