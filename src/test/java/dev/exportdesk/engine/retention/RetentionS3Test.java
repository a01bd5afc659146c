package dev.exportdesk.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.RunResultAssert;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SequentialItems;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.SteppedClock;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention at an S3-compatible destination (s3proxy): the engine's objects go by key, a partner's object stays. */
class RetentionS3Test {
    static final String BUCKET = "partner-drop";

    @TempDir
    Path dir;
    TestEngine t;
    S3Server server;

    @AfterEach
    void close() throws Exception {
        if (t != null) {
            t.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void prunesTheEnginesObjectsByKeyAndLeavesThePartnersOwn() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("unused"), 150);
        server = S3Server.start(dir.resolve("blobs"), BUCKET);
        String scope = "s3://127.0.0.1:" + server.port() + "/" + BUCKET;
        SteppedClock clock = new SteppedClock(Instant.now());
        t = TestEngine.open(dir.resolve("ws"), clock);
        t.vault.set("acme-s3-key", S3Server.ACCESS_KEY, scope, "test");
        t.vault.set("acme-s3-secret", S3Server.SECRET_KEY, scope, "test");
        contract.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + server.port())
                .put("allow_insecure_http", true).put("bucket", BUCKET).put("prefix", "exports/").put("path_style", true)
                .put("access_key_id_secret", "acme-s3-key").put("secret_access_key_secret", "acme-s3-secret")
                .put("connect_timeout", "5s");
        contract.putObject("retention").put("delivered", "2d");
        t.importContract(contract.toString());
        RunResultAssert.completed(t.run("items"));
        db.exec("INSERT INTO items VALUES (151, 1, TIMESTAMP WITH TIME ZONE '2024-03-05 12:00:00+00')");
        RunResultAssert.completed(t.run("items"));
        Path run1 = dir.resolve("blobs").resolve(BUCKET).resolve("exports/items/run-000001");
        assertThat(run1.resolve("manifest.json")).as("s3proxy keeps objects as files here").exists();
        Files.writeString(run1.resolve("partner.txt"), "the partner's own object");

        clock.advance(Duration.ofDays(3));
        PruneService retention = new PruneService(t.ctx, t.contracts);
        PrunePlan plan = retention.plan(Optional.empty());
        List<String> planned = plan.runs().get(0).files().stream().map(RunPrune.PrunedFile::name).toList();
        PruneService.Outcome done = retention.prune(Optional.empty());
        assertThat(done.runs()).singleElement().satisfies(r -> {
            assertThat(r.run().sequence()).isEqualTo(1L);
            assertThat(r.deleted()).containsExactlyInAnyOrderElementsOf(planned);
            assertThat(r.othersLeft()).isEqualTo(1);
        });
        try (Stream<Path> left = Files.list(run1)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("partner.txt");
        }
        assertThat(dir.resolve("blobs").resolve(BUCKET).resolve("exports/items/run-000002/manifest.json")).exists();
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
    }
}
