package dev.exportdesk.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.AlertOutboxRepository;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.SteppedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A real workspace on a stepped clock with an H2 source {@code items} (20 rows, one of them holding
 * {@link #SOURCE_MARKER}), the engine wired as the CLI wires it, and the vault.
 */
final class AlertFixture implements AutoCloseable {
    static final String SOURCE_MARKER = "PLANTED-SOURCE-VALUE-5c1e";
    static final String KEY = "PLANTED-WEBHOOK-KEY-9f3a7d";
    final SteppedClock clock = new SteppedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Workspace workspace;
    final EngineServices services;
    final SecretVault vault;
    final SourceDb db;
    final Path dir;

    AlertFixture(Path dir) throws Exception {
        this.dir = dir;
        db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
            for (int id = 1; id <= 20; id++) {
                st.setLong(1, id);
                st.setString(2, id == 7 ? SOURCE_MARKER : "item " + id);
                st.setObject(3, OffsetDateTime.of(2024, 3, 1, 12, 0, id, 0, ZoneOffset.UTC));
                st.addBatch();
            }
            st.executeBatch();
        }
        workspace = Workspace.open(dir.resolve("ws"));
        EngineContext ctx = EngineContext.forWorkspace(workspace, Map.of(), clock, "test", millis -> { });
        services = EngineServices.of(ctx);
        vault = new SecretVault(workspace.store(), () -> MasterKey.load(workspace.root(), Map.of()), clock);
    }

    ObjectNode contract(String name, Path drop) {
        ObjectNode c = Contracts.base(name, db, "items", drop);
        ((ObjectNode) c.get("chunk")).put("max_rows", 5);
        c.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
        return c;
    }

    /** A destination folder that cannot be created: its parent is a regular file, so delivery fails. */
    Path blockedDrop() throws Exception {
        Path blocker = dir.resolve("blocker");
        if (!Files.exists(blocker)) {
            Files.writeString(blocker, "not a directory");
        }
        return blocker.resolve("drop");
    }

    void importContract(ObjectNode json) {
        services.contracts().importContract(json.toString(), "test contract", false);
    }

    RunResult run(String contract) {
        return services.engine().run(contract, ProgressListener.NONE);
    }

    AlertService alerts() {
        return new AlertService(services);
    }

    List<AlertOutboxRepository.Row> outbox() {
        return alerts().recent(100);
    }

    @Override
    public void close() {
        workspace.close();
    }
}
