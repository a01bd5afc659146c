package dev.exportdesk.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.exportdesk.engine.EngineServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text format, through Micrometer) and {@code GET /health} (200
 * when the state store answers within {@link #HEALTH_TIMEOUT}, 503 otherwise) on the JDK's HTTP
 * server. Bound to loopback unless the caller explicitly allows another address: the endpoint has
 * no authentication, and contract names and volumes are the operator's business. Started by
 * {@code exportdesk monitor} and, in team mode, by each worker; the engine's own timings arrive
 * through {@link #listener()}.
 */
public final class ObservabilityServer implements AutoCloseable {
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EngineTimers timers = new EngineTimers(registry);
    private final StoreMetrics storeMetrics;
    private final EngineServices services;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "exportdesk-observe");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;

    private ObservabilityServer(EngineServices services, Duration workerSilence) {
        this.services = services;
        this.storeMetrics = new StoreMetrics(services, registry, workerSilence);
    }

    /**
     * Serves on {@code address}; a non-loopback address is refused unless {@code allowRemote} (an
     * operator's explicit choice). Port 0 picks a free port ({@link #address()} tells which).
     */
    public static ObservabilityServer start(InetSocketAddress address, boolean allowRemote, EngineServices services,
                                            Duration workerSilence) throws IOException {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IOException("metrics address " + address.getHostString() + " does not resolve");
        }
        if (!ip.isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("metrics address " + ip.getHostAddress() + " is not a loopback "
                    + "address; the endpoint has no authentication, so binding it elsewhere needs "
                    + "--metrics-allow-remote");
        }
        ObservabilityServer s = new ObservabilityServer(services, workerSilence);
        try {
            s.server = HttpServer.create(address, 16);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot serve metrics on " + ip.getHostAddress() + ":" + address.getPort() + ": "
                    + e.getMessage(), e);
        }
        s.server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "exportdesk-http");
            t.setDaemon(true);
            return t;
        }));
        s.server.createContext("/metrics", s::metrics);
        s.server.createContext("/health", s::health);
        s.server.createContext("/", e -> s.answer(e, 404, "not found\n"));
        s.server.start();
        LOG.info("metrics on http://{}:{}/metrics", s.address().getHostString(), s.address().getPort());
        return s;
    }

    /** Where it listens (the chosen port when started on port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The engine's in-process timings go here: pass it to {@code EngineContext.withEvents}. */
    public dev.exportdesk.engine.EngineListener listener() {
        return timers;
    }

    private void metrics(HttpExchange e) throws IOException {
        if (!get(e)) {
            return;
        }
        try {
            bounded(() -> {
                storeMetrics.refresh();
                return null;
            });
        } catch (Exception ex) {
            // the in-process series are still worth serving; the store's age out with their last values
            LOG.warn("metrics: cannot read the state store: {}", ex.toString());
        }
        answer(e, 200, registry.scrape(), CONTENT_TYPE);
    }

    private void health(HttpExchange e) throws IOException {
        if (!get(e)) {
            return;
        }
        boolean up;
        try {
            up = bounded(() -> services.ctx().store().healthy());
        } catch (Exception ex) {
            up = false;
        }
        answer(e, up ? 200 : 503, up ? "ok: the state store answers\n" : "unavailable: the state store does not "
                + "answer\n");
    }

    private <T> T bounded(java.util.concurrent.Callable<T> work) throws Exception {
        Future<T> f = probes.submit(work);
        try {
            return f.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            f.cancel(true);
            throw ex;
        }
    }

    private boolean get(HttpExchange e) throws IOException {
        if (!"GET".equals(e.getRequestMethod()) && !"HEAD".equals(e.getRequestMethod())) {
            e.getResponseHeaders().add("Allow", "GET, HEAD");
            answer(e, 405, "only GET\n");
            return false;
        }
        return true;
    }

    private void answer(HttpExchange e, int status, String body) throws IOException {
        answer(e, status, body, "text/plain; charset=utf-8");
    }

    private void answer(HttpExchange e, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", type);
        e.getResponseHeaders().add("Cache-Control", "no-store");
        boolean head = "HEAD".equals(e.getRequestMethod());
        e.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(1);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
        probes.shutdownNow();
        registry.close();
    }
}
