package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import dev.exportdesk.transfer.PartSize;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine delivering to a real s3proxy: a multipart upload interrupted mid-way is journaled part
 * by part in the state store, and `resume` finishes it by uploading only the missing parts.
 */
@Timeout(180)
class S3TransferTest {
    @TempDir
    Path dir;
    S3Server server;
    FaultProxy proxy;
    TestEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 4500);
        server = S3Server.start(dir.resolve("blobs"), "partner-drop");
        proxy = FaultProxy.start(server.port());
        engine = TestEngine.open(dir.resolve("ws"));
        engine.vault.set("acme-s3-key", S3Server.ACCESS_KEY, "s3://127.0.0.1:" + proxy.port() + "/" + "partner-drop", "test");
        engine.vault.set("acme-s3-secret", S3Server.SECRET_KEY, "s3://127.0.0.1:" + proxy.port() + "/" + "partner-drop", "test");
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
        contract.put("compression", "none");
        contract.putObject("chunk").put("max_rows", 100_000).put("target_time", "1h");
        contract.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + proxy.port()).put("allow_insecure_http", true)
                .put("bucket", "partner-drop").put("prefix", "exports/").put("path_style", true)
                .put("access_key_id_secret", "acme-s3-key").put("secret_access_key_secret", "acme-s3-secret")
                .put("connect_timeout", "5s").put("stall_timeout", "5s");
        contract.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
        engine.importContract(contract.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        proxy.close();
        server.close();
    }

    int journaledParts() {
        return engine.workspace.store().inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM multipart_parts");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void resumeUploadsOnlyTheMissingPartsOfAnInterruptedMultipartUpload() throws Exception {
        proxy.arm(FaultProxy.Kind.CLOSE, 6_000_000);
        RunResult failed = engine.run("items-to-acme");
        assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
        assertThat(journaledParts()).as("part 1 journaled in the state store").isEqualTo(1);
        assertThat(server.blobStore().blobExists("partner-drop", "exports/items-to-acme/run-000001/"
                + "chunk-000001.jsonl")).as("nothing visible under the final name").isFalse();

        RunResult resumed = engine.engine.resume(failed.run().id(), ProgressListener.NONE);
        assertThat(resumed.run().state()).isEqualTo(RunState.COMPLETED);
        List<TransferAttempt> attempts = engine.status.attempts(resumed.run().id()).stream()
                .filter(a -> a.chunkSeq() > 0).toList();
        assertThat(attempts).extracting(TransferAttempt::outcome).containsExactly("RETRY", "OK");
        assertThat(attempts.get(1).resumedFrom()).isEqualTo(PartSize.MIN);
        ChunkRecord chunk = engine.status.run(resumed.run().id()).chunks().get(0);
        assertThat(chunk.byteCount()).isGreaterThan(PartSize.MIN);
        long sent = attempts.stream().mapToLong(TransferAttempt::bytesSent).sum();
        assertThat(sent - chunk.byteCount()).as("re-sent at most one part").isLessThanOrEqualTo(PartSize.MIN);
        assertThat(journaledParts()).as("journal emptied after completion").isZero();

        Blob blob = server.blobStore().getBlob("partner-drop", "exports/items-to-acme/run-000001/"
                + chunk.fileName());
        try (InputStream in = blob.getPayload().openStream()) {
            assertThat(Hashing.digest(in).sha256()).isEqualTo(chunk.sha256());
        }
        assertThat(blob.getMetadata().getUserMetadata()).containsEntry("sha256", chunk.sha256());
        assertThat(server.blobStore().blobExists("partner-drop", "exports/items-to-acme/run-000001/manifest.json"))
                .isTrue();
    }
}
