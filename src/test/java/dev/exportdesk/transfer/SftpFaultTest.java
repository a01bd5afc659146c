package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.SftpDestinationSpec;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpFaultTest extends RemoteFaultTest {
    @TempDir
    Path serverRoot;
    SftpServer server;
    FaultProxy proxy;
    Destination destination;

    @BeforeEach
    void start() throws Exception {
        server = SftpServer.start(serverRoot, SftpDestinationConformanceTest.PASSWORD);
        proxy = FaultProxy.start(server.port());
        destination = Destinations.open(SftpDestinationConformanceTest.spec(proxy.port(), server.fingerprint()),
                SftpDestinationConformanceTest.env());
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
        return 4L * 1024 * 1024 + 3;
    }

    @Override
    long slack() {
        return SftpDestination.BLOCK;
    }

    @Test
    void changedHostKeyIsRefusedWithAClearMessage() throws Exception {
        String otherFingerprint = SftpServer.start(serverRoot.resolve("x"), "p").fingerprint();
        try (Destination d = Destinations.open(SftpDestinationConformanceTest.spec(server.port(), otherFingerprint),
                SftpDestinationConformanceTest.env())) {
            assertThatThrownBy(() -> d.stat("a/b.jsonl"))
                    .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> {
                        assertThat(e.permanent()).isTrue();
                        assertThat(e.presented()).isEqualTo(server.fingerprint().replace("=", ""));
                    })
                    .hasMessageContaining("HOST KEY CHANGED").hasMessageContaining(otherFingerprint);
        }
    }

    @Test
    void unknownHostKeyIsRefusedAndKnownHostsIsHonoured() throws Exception {
        Path knownHosts = local.resolve("known_hosts");
        SftpDestinationSpec unpinned = SftpDestinationConformanceTest.spec(server.port(), null);
        TransferEnvironment env = new TransferEnvironment(SftpDestinationConformanceTest.env().secrets(),
                UploadJournal.inMemory(), knownHosts);
        try (Destination d = Destinations.open(unpinned, env)) {
            assertThatThrownBy(() -> d.stat("a/b.jsonl")).isInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining("unknown host key");
        }
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        try (Destination d = Destinations.open(unpinned, env)) {
            assertThat(d.stat("a/b.jsonl")).isEmpty();
        }
    }

    @Test
    void wrongPasswordIsPermanentAndTriedOnce() throws Exception {
        SftpDestinationSpec spec = SftpDestinationConformanceTest.spec(proxy.port(), server.fingerprint());
        TransferEnvironment wrong = new TransferEnvironment(TestSecrets.fromEnv(Map.of("SFTP_PW", "nope")),
                UploadJournal.inMemory(), null);
        long before = proxy.connectionsAccepted();
        try (Destination d = Destinations.open(spec, wrong)) {
            assertThatThrownBy(() -> d.stat("a/b.jsonl"))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("authentication failed")
                    .hasMessageContaining("environment variable SFTP_PW")
                    .hasMessageNotContaining("nope");
        }
        assertThat(proxy.connectionsAccepted() - before).as("one connection, no retry storm").isEqualTo(1);
        // one try each for the client's "keyboard-interactive" and "password" methods, then it gives up
        assertThat(server.passwordAttempts()).isLessThanOrEqualTo(2);
    }

    @Test
    void privateKeyAuthenticationWorks() throws Exception {
        KeyPair client = SftpServer.newKey();
        try (SftpServer keyed = SftpServer.start(serverRoot.resolve("k"), SftpServer.newKey(), null,
                client.getPublic())) {
            Files.createDirectories(serverRoot.resolve("k"));
            SftpDestinationSpec spec = new SftpDestinationSpec("127.0.0.1", keyed.port(), SftpServer.USER, "/",
                    keyed.fingerprint(), null, SecretRef.env("SFTP_KEY"),
                    new TransferPolicy(Duration.ofSeconds(5), Duration.ofSeconds(5), null));
            TransferEnvironment env = new TransferEnvironment(TestSecrets.fromEnv(Map.of("SFTP_KEY",
                    SftpServer.privateKeyText(client))), UploadJournal.inMemory(), null);
            makeFile();
            try (Destination d = Destinations.open(spec, env)) {
                d.put("x/chunk.jsonl", file, sha);
                assertThat(d.stat("x/chunk.jsonl").orElseThrow().size()).isEqualTo(size());
            }
        }
    }
}
