package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.TestSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** S3 against a real in-process s3proxy, through a fault-injecting proxy. */
class S3DestinationConformanceTest extends DestinationConformanceTest {
    @TempDir
    Path blobs;
    S3Server server;
    FaultProxy proxy;
    Destination destination;
    UploadJournal journal = UploadJournal.inMemory();

    @BeforeEach
    void start() throws Exception {
        server = S3Server.start(blobs, "partner-drop");
        proxy = FaultProxy.start(server.port());
        destination = Destinations.open(spec(proxy.port()), env(journal));
    }

    static TransferEnvironment env(UploadJournal journal) {
        return new TransferEnvironment(TestSecrets.fromEnv(Map.of("S3_AK", S3Server.ACCESS_KEY, "S3_SK",
                S3Server.SECRET_KEY)), journal, null);
    }

    static S3DestinationSpec spec(int port) {
        return new S3DestinationSpec("http://127.0.0.1:" + port, "us-east-1", "partner-drop", "exports/", true,
                SecretRef.env("S3_AK"), SecretRef.env("S3_SK"),
                new TransferPolicy(Duration.ofSeconds(5), Duration.ofSeconds(5), null), true);
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
    long largeSize() {
        return 12L * 1024 * 1024 + 17;
    }

    @Override
    long resumeSlack() {
        return PartSize.MIN;
    }

    @Override
    boolean resumes() {
        return true;
    }

    @Override
    long interruptUpload(String path, Path file, String sha256, long afterBytes) throws Exception {
        destination.stat(path);
        proxy.arm(FaultProxy.Kind.CLOSE, afterBytes);
        TransferProgress p = new TransferProgress();
        assertThatThrownBy(() -> destination.put(path, file, sha256, p))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isFalse());
        assertThat(proxy.faultsFired()).isEqualTo(1);
        return p.sentBytes();
    }
}
