package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.SftpDestinationSpec;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.TestSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** SFTP against a real in-process MINA SSHD server, through a fault-injecting proxy. */
class SftpDestinationConformanceTest extends DestinationConformanceTest {
    static final String PASSWORD = "pw-for-conformance";
    @TempDir
    Path serverRoot;
    SftpServer server;
    FaultProxy proxy;
    Destination destination;

    @BeforeEach
    void start() throws Exception {
        server = SftpServer.start(serverRoot, PASSWORD);
        proxy = FaultProxy.start(server.port());
        destination = Destinations.open(spec(proxy.port(), server.fingerprint()), env());
    }

    static TransferEnvironment env() {
        return new TransferEnvironment(TestSecrets.fromEnv(Map.of("SFTP_PW", PASSWORD)), UploadJournal.inMemory(),
                null);
    }

    static SftpDestinationSpec spec(int port, String fingerprint) {
        return new SftpDestinationSpec("127.0.0.1", port, SftpServer.USER, "/inbound", fingerprint,
                SecretRef.env("SFTP_PW"), null, new TransferPolicy(Duration.ofSeconds(5), Duration.ofSeconds(5), null));
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
        return 3L * 1024 * 1024 + 17;
    }

    @Override
    long resumeSlack() {
        return SftpDestination.BLOCK;
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
