package dev.exportdesk.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP receiver on loopback that records every request and answers {@code status}. */
final class WebhookReceiver implements AutoCloseable {
    record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    WebhookReceiver(int status) throws IOException {
        this(status, "http://127.0.0.1:1/elsewhere");
    }

    /** {@code location}: the Location header of every answer (what a redirect would point at). */
    WebhookReceiver(int status, String location) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/", e -> {
            requests.add(new Request(e.getRequestMethod(), e.getRequestURI().getPath(), Map.copyOf(e.getRequestHeaders()),
                    e.getRequestBody().readAllBytes()));
            e.getResponseHeaders().add("Location", location);
            e.sendResponseHeaders(status, -1);
            e.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
