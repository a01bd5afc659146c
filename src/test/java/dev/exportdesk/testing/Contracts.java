package dev.exportdesk.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Builds contract JSON for tests: a sensible base that each test adjusts. */
public final class Contracts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Contracts() {
    }

    public static ObjectNode base(String name, SourceDb db, String table, Path drop) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("name", name);
        c.put("partner", "acme");
        ObjectNode src = c.putObject("source");
        src.put("name", "src-" + db.kind());
        src.put("jdbc_url", db.jdbcUrl());
        src.put("user", db.reader());
        c.put("table", table);
        c.putArray("key_columns").add("id");
        c.putArray("cursor_columns").add("updated_at");
        c.put("format", "jsonl");
        c.put("compression", "zstd");
        c.putObject("chunk").put("max_rows", 1000);
        c.putObject("destination").put("type", "folder").put("path", drop.toAbsolutePath().toString());
        c.putObject("late_data").put("safety_lag", "0s").put("lookback", "0s");
        c.putObject("retry").put("max_attempts", 3).put("initial_backoff", "1ms").put("max_backoff", "2ms");
        return c;
    }

    /**
     * Makes {@code contract} a logical one (issue 15): no cursor, no lookback, changes from
     * {@code slot} through {@code publication}. Returns it.
     */
    public static ObjectNode logical(ObjectNode contract, String publication, String slot) {
        contract.remove("cursor_columns");
        contract.remove("late_data");
        contract.putObject("capture").put("mode", "logical").put("publication", publication).put("slot", slot);
        return contract;
    }

    public static String json(ObjectNode base, Consumer<ObjectNode> change) {
        ObjectNode copy = base.deepCopy();
        change.accept(copy);
        return copy.toString();
    }

    /** Points {@code contract} at an in-process SFTP server (reached on {@code port}, e.g. through a proxy). */
    public static ObjectNode sftpDestination(ObjectNode contract, SftpServer server, int port, String secret) {
        return contract.putObject("destination").put("type", "sftp").put("host", "127.0.0.1").put("port", port)
                .put("user", SftpServer.USER).put("path", "/inbound").put("host_key_sha256", server.fingerprint())
                .put("password_secret", secret);
    }
}
