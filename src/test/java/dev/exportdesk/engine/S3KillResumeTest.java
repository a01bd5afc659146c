package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import dev.exportdesk.transfer.PartSize;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a child JVM in the middle of a multipart upload to a real s3proxy, then {@code resume}
 * in a fresh process: the parts the store already held are kept, the object's bytes hash to the
 * manifest, there is exactly one object per file, and no multipart upload is left open.
 */
@Timeout(180)
class S3KillResumeTest {
    private static final String BUCKET = "partner-drop";

    @TempDir
    Path dir;

    @Test
    void sigkillMidMultipartUploadThenResume() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 9000);
        try (S3Server server = S3Server.start(dir.resolve("blobs"), BUCKET);
             FaultProxy proxy = FaultProxy.start(server.port())) {
            proxy.throttle(1_500_000);
            Path ws = dir.resolve("ws");
            try (TestEngine engine = TestEngine.open(ws)) {
                engine.vault.set("acme-s3-key", S3Server.ACCESS_KEY, "s3://127.0.0.1:" + proxy.port() + "/" + BUCKET, "test");
                engine.vault.set("acme-s3-secret", S3Server.SECRET_KEY, "s3://127.0.0.1:" + proxy.port() + "/" + BUCKET, "test");
                ObjectNode c = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
                c.put("compression", "none");
                c.putObject("chunk").put("max_rows", 100_000).put("target_time", "1h");
                c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + proxy.port()).put("allow_insecure_http", true)
                        .put("bucket", BUCKET).put("prefix", "exports/").put("path_style", true)
                        .put("access_key_id_secret", "acme-s3-key").put("secret_access_key_secret", "acme-s3-secret");
                engine.importContract(c.toString());
            }

            Process child = ChildJvm.start(dir.resolve("child.log"), List.of("-Xmx256m"), "--workspace",
                    ws.toString(), "run", "items-to-acme");
            long deadline = System.currentTimeMillis() + 60_000;
            while (proxy.upstreamBytes() < PartSize.MIN + 2_000_000 && child.isAlive()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("still uploading when killed: " + Files.readString(dir.resolve(
                    "child.log"))).isTrue();
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.blobStore().blobExists(BUCKET, "exports/items-to-acme/run-000001/chunk-000001.jsonl"))
                    .as("nothing under the final name after the kill").isFalse();
            proxy.throttle(0);

            try (TestEngine engine = TestEngine.open(ws)) {
                RunResult result = engine.run("items-to-acme"); // completes the unfinished run first
                assertThat(result.run().state()).as(Files.readString(dir.resolve("child.log")))
                        .isEqualTo(RunState.COMPLETED);
                List<TransferAttempt> attempts = engine.status.attempts(result.run().id()).stream()
                        .filter(a -> a.chunkSeq() > 0).toList();
                TransferAttempt last = attempts.get(attempts.size() - 1);
                assertThat(last.outcome()).isEqualTo("OK");
                assertThat(last.resumedFrom()).as("kept the part(s) the store held").isGreaterThanOrEqualTo(
                        PartSize.MIN);

                String runDir = "exports/items-to-acme/run-000001/";
                byte[] manifestBytes;
                try (InputStream in = server.blobStore().getBlob(BUCKET, runDir + "manifest.json").getPayload()
                        .openStream()) {
                    manifestBytes = in.readAllBytes();
                }
                var manifest = ManifestCodec.read(manifestBytes);
                for (var chunk : manifest.chunks()) {
                    try (InputStream in = server.blobStore().getBlob(BUCKET, runDir + chunk.file()).getPayload()
                            .openStream()) {
                        assertThat(Hashing.digest(in).sha256()).isEqualTo(chunk.sha256());
                    }
                }
                List<String> objects = server.blobStore().list(BUCKET, ListContainerOptions.Builder
                        .inDirectory("exports/items-to-acme/run-000001").recursive()).stream()
                        .map(StorageMetadata::getName).sorted().toList();
                assertThat(objects).containsExactly(runDir + "SHA256SUMS", runDir + "checkpoint.txt",
                        runDir + "chunk-000001.jsonl", runDir + "ledger-proofs.json", runDir + "manifest.json");
                assertThat(server.blobStore().listMultipartUploads(BUCKET)).as("no multipart upload left open")
                        .isEmpty();
            }
        }
    }
}
