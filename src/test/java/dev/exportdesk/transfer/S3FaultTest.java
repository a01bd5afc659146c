package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.TestSecrets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3FaultTest extends RemoteFaultTest {
    @TempDir
    Path blobs;
    S3Server server;
    FaultProxy proxy;
    Destination destination;
    final UploadJournal journal = UploadJournal.inMemory();

    @BeforeEach
    void start() throws Exception {
        server = S3Server.start(blobs, "partner-drop");
        proxy = FaultProxy.start(server.port());
        destination = Destinations.open(S3DestinationConformanceTest.spec(proxy.port()),
                S3DestinationConformanceTest.env(journal));
    }

    @AfterEach
    void stop() throws Exception {
        destination.close();
        proxy.close();
        server.close();
    }

    @Override
    Destination destination() {
        return destination;
    }

    @Override
    FaultProxy proxy() {
        return proxy;
    }

    @Override
    long size() {
        return 16L * 1024 * 1024 + 5;
    }

    @Override
    long slack() {
        return PartSize.MIN;
    }

    @Test
    void partSizeFollowsTheRule() {
        assertThat(PartSize.forObject(1)).isEqualTo(5 * PartSize.MIB);
        assertThat(PartSize.forObject(50_000L * PartSize.MIB)).isEqualTo(5 * PartSize.MIB);
        assertThat(PartSize.forObject(50_000L * PartSize.MIB + 1)).isEqualTo(6 * PartSize.MIB);
        assertThat(PartSize.forObject(1024L * 1024 * PartSize.MIB)).isEqualTo(105 * PartSize.MIB);
    }

    @Test
    void journalIsEmptiedOnceTheObjectIsComplete() throws Exception {
        makeFile();
        destination.stat(PATH);
        proxy.arm(FaultProxy.Kind.CLOSE, size() / 2);
        assertThatThrownBy(() -> destination.put(PATH, file, sha)).isInstanceOf(DeliveryException.class);
        assertThat(journal.all(S3Destination.class.getSimpleName()).size()).isZero();
        assertThat(journal.find("s3:http://127.0.0.1:" + proxy.port() + "/partner-drop/exports/",
                "exports/" + PATH)).as("parts journaled while uploading").isPresent()
                .get().satisfies(u -> assertThat(u.parts()).isNotEmpty());
        for (int i = 0; ; i++) {
            try {
                destination.put(PATH, file, sha);
                break;
            } catch (DeliveryException e) {
                assertThat(i).isLessThan(3);
            }
        }
        assertThat(journal.find("s3:http://127.0.0.1:" + proxy.port() + "/partner-drop/exports/",
                "exports/" + PATH)).isEmpty();
        assertThat(remoteSha()).isEqualTo(sha);
    }

    @Test
    void wrongCredentialsArePermanentWithoutARetryStorm() throws Exception {
        TransferEnvironment wrong = new TransferEnvironment(TestSecrets.fromEnv(Map.of("S3_AK",
                S3Server.ACCESS_KEY, "S3_SK", "wrong-secret")), UploadJournal.inMemory(), null);
        makeFile();
        long before = proxy.connectionsAccepted();
        try (Destination d = Destinations.open(S3DestinationConformanceTest.spec(proxy.port()), wrong)) {
            assertThatThrownBy(() -> d.put(PATH, file, sha))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("refused the credentials")
                    .hasMessageNotContaining("wrong-secret");
        }
        assertThat(proxy.connectionsAccepted() - before).as("no retry storm").isLessThanOrEqualTo(1);
    }
}
