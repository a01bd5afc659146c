package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create-only on S3 holds even when the object appears between ExportDesk's existence check and its
 * PUT (a stale worker, or another writer): the PUT carries {@code If-None-Match: *}, the store
 * refuses it, and the upload fails naming the key with both hashes, leaving the other bytes in
 * place; when the object that appeared holds our bytes, the upload is done. The window is held open
 * by the bandwidth cap, which paces the PUT after the check. A refusal the client sees as a broken
 * pipe (the store answered before reading the body) is retried once, as delivery retries it.
 */
class S3ConditionalPutTest {
    private static final int SIZE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anObjectThatAppearsAfterTheCheckIsNeverReplaced() throws Exception {
        byte[] ours = bytes(1);
        byte[] theirs = bytes(2);
        assertThat(race(ours, theirs)).isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.getMessage())
                .contains("run-1/chunk.bin already exists with different content")
                .contains(Hashing.sha256Hex(theirs, 0, SIZE)).contains(Hashing.sha256Hex(ours, 0, SIZE)));
        assertThat(stored()).as("the object that appeared first").isEqualTo(theirs);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anObjectThatAppearsWithOurBytesCompletesTheUpload() throws Exception {
        byte[] ours = bytes(3);
        assertThat(race(ours, ours)).isNull();
        assertThat(stored()).isEqualTo(ours);
    }

    private S3Server server;

    /** Puts {@code ours} while {@code theirs} is written straight into the bucket after the existence check. */
    private Throwable race(byte[] ours, byte[] theirs) throws Exception {
        server = S3Server.start(dir.resolve("blobs"), "partner-drop");
        try (FaultProxy proxy = FaultProxy.start(server.port());
             Destination destination = Destinations.open(S3DestinationConformanceTest.spec(proxy.port()),
                     S3DestinationConformanceTest.env(UploadJournal.inMemory()))) {
            Path file = dir.resolve("chunk.bin");
            Files.write(file, ours);
            // 2 s for 64 KB: the PUT waits that long after the existence check
            TransferProgress paced = new TransferProgress(new Throttle(SIZE / 2));
            CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
                try {
                    destination.put("run-1/chunk.bin", file, Hashing.sha256Hex(ours, 0, SIZE), paced);
                } catch (DeliveryException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (proxy.upstreamBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(proxy.upstreamBytes()).as("the existence check went out").isPositive();
            Thread.sleep(500); // its answer is back long before the cap lets the PUT go
            assertThat(paced.sentBytes()).as("the PUT is still held by the cap").isZero();
            BlobStore store = server.blobStore();
            store.putBlob("partner-drop", store.blobBuilder("exports/run-1/chunk.bin").payload(theirs).build());
            try {
                put.get(30, TimeUnit.SECONDS);
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable failure = e.getCause() instanceof java.util.concurrent.CompletionException
                        && e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
                if (!(failure instanceof DeliveryException d) || d.permanent()) {
                    return failure;
                }
                // the store may answer 412 before it has read the body and close the connection: the
                // client sees a broken pipe, a transient failure, and the delivery tries again, as here
                try {
                    destination.put("run-1/chunk.bin", file, Hashing.sha256Hex(ours, 0, SIZE));
                    return null;
                } catch (DeliveryException again) {
                    return again;
                }
            }
        }
    }

    private byte[] stored() throws Exception {
        try (InputStream in = server.blobStore().getBlob("partner-drop", "exports/run-1/chunk.bin").getPayload()
                .openStream()) {
            byte[] b = in.readAllBytes();
            server.close();
            return b;
        }
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) fill);
        return b;
    }
}
