package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integrity: a workspace that has held state never starts over silently. A deleted, emptied or
 * swapped state store is refused at open with exit 8 and how to restore, and is not recreated; a
 * store deleted while a run is under way fails the run instead of reporting it completed.
 */
class StateStoreLossTest {
    @TempDir
    Path dir;

    private CliRun exported(Path ws, int rows, long bytesPerSecond) throws Exception {
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                        + "NOT NULL)",
                "INSERT INTO orders SELECT X, RANDOM_UUID() || RANDOM_UUID(), TIMESTAMP WITH TIME ZONE "
                        + "'2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, " + rows + ")");
        ObjectNode contract = Contracts.base("orders", db, "orders", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500);
        contract.put("compression", "none");
        if (bytesPerSecond > 0) {
            ((ObjectNode) contract.get("destination")).put("max_bytes_per_second", bytesPerSecond);
        }
        Path file = dir.resolve("orders.json");
        Files.writeString(file, contract.toString());
        CliRun cli = new CliRun(ws);
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        return cli;
    }

    @Test
    void aDeletedStoreIsRefusedAndNotRecreated() throws Exception {
        Path ws = dir.resolve("ws");
        CliRun cli = exported(ws, 100, 0);
        assertThat(cli.run("run", "orders", "-q").code()).isZero();
        Path db = ws.resolve("state/exportdesk.mv.db");
        Files.delete(db);

        CliRun.Result status = cli.run("status");
        assertThat(status.code()).as(status.all()).isEqualTo(8);
        assertThat(status.err()).contains("is missing").contains("Restore").doesNotContain("\tat ");
        assertThat(cli.run("run", "orders").code()).isEqualTo(8);
        assertThat(db).as("an empty store must not be created in its place").doesNotExist();
    }

    @Test
    void anEmptyOrForeignStoreIsRefused() throws Exception {
        Path ws = dir.resolve("ws");
        CliRun cli = exported(ws, 100, 0);
        assertThat(cli.run("run", "orders", "-q").code()).isZero();
        Path other = dir.resolve("other");
        assertThat(new CliRun(other).run("status").code()).isZero();
        Path db = ws.resolve("state/exportdesk.mv.db");
        byte[] original = Files.readAllBytes(db);
        byte[] password = Files.readAllBytes(ws.resolve("state/store.password"));

        // the other (empty) workspace's store alone: it does not open with this workspace's password
        Files.copy(other.resolve("state/exportdesk.mv.db"), db, StandardCopyOption.REPLACE_EXISTING);
        CliRun.Result alone = cli.run("status");
        assertThat(alone.code()).as(alone.all()).isEqualTo(8);
        assertThat(alone.err()).contains("password");

        // store and password swapped together: the store is empty of this workspace's state
        Files.copy(other.resolve("state/store.password"), ws.resolve("state/store.password"),
                StandardCopyOption.REPLACE_EXISTING);
        CliRun.Result both = cli.run("status");
        assertThat(both.code()).as(both.all()).isEqualTo(8);
        assertThat(both.err()).contains("belongs to another workspace");

        // restoring both from the backup, as the message says, brings the workspace back
        Files.write(db, original);
        Files.write(ws.resolve("state/store.password"), password);
        CliRun.Result restored = cli.run("status");
        assertThat(restored.code()).as(restored.all()).isZero();
        assertThat(restored.out()).contains("orders");
    }

    @Test
    void aStoreDeletedDuringARunFailsTheRun() throws Exception {
        Path ws = dir.resolve("ws");
        // about 40 chunks of ~40 KB at 256 KiB/s: several seconds of delivery to act in
        CliRun cli = exported(ws, 20_000, 256 * 1024);
        CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(() -> cli.run("run", "orders", "-q"));
        Path runFolder = dir.resolve("drop/orders/run-000001");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (chunks(runFolder) < 1 && System.nanoTime() < deadline && !run.isDone()) {
            Thread.sleep(20);
        }
        assertThat(run.isDone()).as("the run ended before the test could act").isFalse();
        Files.delete(ws.resolve("state/exportdesk.mv.db"));

        CliRun.Result r = run.get(120, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.all()).isEqualTo(8);
        assertThat(r.all()).contains("deleted or replaced").doesNotContain("completed");
        assertThat(runFolder.resolve("manifest.json")).as("no manifest: the run did not complete").doesNotExist();
    }

    @Test
    void theHealthProbeSaysSoOnceTheStoreIsGone() throws Exception {
        Path ws = dir.resolve("ws");
        try (var workspace = dev.exportdesk.store.Workspace.open(ws)) {
            assertThat(workspace.store().healthy()).isTrue();
            Files.delete(ws.resolve("state/exportdesk.mv.db"));
            assertThat(workspace.store().healthy()).as("the console's status bar reads this").isFalse();
        }
    }

    private static long chunks(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chunk-")).count();
        }
    }
}
