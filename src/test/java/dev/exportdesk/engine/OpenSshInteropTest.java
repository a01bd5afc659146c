package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.SftpDestinationSpec;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.OpenSshServer;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.Destinations;
import dev.exportdesk.transfer.TransferEnvironment;
import dev.exportdesk.transfer.UploadJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ed25519 (OpenSSH's default) for user keys, host keys and pinned fingerprints, against a real
 * Debian OpenSSH sshd that offers an ed25519 host key only, and against the in-process MINA server;
 * RSA and ECDSA user keys keep working.
 */
@Timeout(180)
class OpenSshInteropTest {
    @TempDir
    Path dir;
    OpenSshServer sshd;
    Path userEd25519;
    Path userRsa;
    Path userEcdsa;

    @BeforeEach
    void startSshd() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("client-keys"));
        userEd25519 = OpenSshServer.keygen(keys.resolve("id_ed25519"), "ed25519");
        userRsa = OpenSshServer.keygen(keys.resolve("id_rsa"), "rsa");
        userEcdsa = OpenSshServer.keygen(keys.resolve("id_ecdsa"), "ecdsa");
        sshd = OpenSshServer.start(dir.resolve("sshd"), List.of("ed25519"), Stream.of(userEd25519, userRsa, userEcdsa)
                .map(OpenSshServer::publicKeyLine).toList());
        Files.createDirectories(dir.resolve("remote"));
    }

    @AfterEach
    void stopSshd() throws Exception {
        sshd.close();
    }

    private ObjectNode contract(SourceDb db, String pin) {
        ObjectNode c = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
        c.putObject("chunk").put("max_rows", 400).put("target_time", "1h");
        ObjectNode d = c.putObject("destination").put("type", "sftp").put("host", "127.0.0.1").put("port", sshd.port())
                .put("user", OpenSshServer.user()).put("path", dir.resolve("remote").toString())
                .put("private_key_secret", "acme-key").put("connect_timeout", "10s");
        if (pin != null) {
            d.put("host_key_sha256", pin);
        }
        return c;
    }

    @Test
    void ed25519UserKeyToAnEd25519OnlyServerPinnedAsSshKeygenPrintsItDeliversByteIdenticalFiles() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 1000);
        try (TestEngine engine = TestEngine.open(dir.resolve("ws"))) {
            engine.vault.set("acme-key", Files.readString(userEd25519), "sftp://127.0.0.1:" + sshd.port(), "test");
            engine.importContract(contract(db, OpenSshServer.fingerprint(sshd.hostKey("ed25519"))).toString());

            RunResult result = engine.run("items-to-acme");

            assertThat(result.run().state()).as(result.run().error() + "\n" + sshd.log()).isEqualTo(RunState.COMPLETED);
            Path delivered = dir.resolve("remote/items-to-acme");
            List<ChunkRecord> chunks = engine.status.run(result.run().id()).chunks();
            assertThat(chunks).hasSize(3);
            for (ChunkRecord chunk : chunks) {
                assertThat(Hashing.digest(delivered.resolve("run-000001").resolve(chunk.fileName())).sha256())
                        .as("delivered bytes of " + chunk.fileName()).isEqualTo(chunk.sha256());
            }
            assertThat(Hashing.digest(delivered.resolve("run-000001/manifest.json")).sha256())
                    .isEqualTo(result.run().manifestSha256());
            assertThat(Replay.of(delivered, "ID").table).hasSize(1000);
            assertThat(sshd.log()).contains("Accepted publickey for " + OpenSshServer.user()).contains("ED25519");
        }
    }

    @Test
    void anEd25519HostKeyListedInTheWorkspaceKnownHostsIsAccepted() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 10);
        try (TestEngine engine = TestEngine.open(dir.resolve("ws"))) {
            Files.writeString(dir.resolve("ws/known_hosts"), sshd.knownHostsLine("ed25519") + "\n");
            engine.vault.set("acme-key", Files.readString(userEd25519), "sftp://127.0.0.1:" + sshd.port(), "test");
            engine.importContract(contract(db, null).toString());

            RunResult result = engine.run("items-to-acme");

            assertThat(result.run().state()).as(result.run().error()).isEqualTo(RunState.COMPLETED);
            assertThat(Replay.of(dir.resolve("remote/items-to-acme"), "ID").table).hasSize(10);
        }
    }

    @Test
    void aChangedEd25519HostKeyIsRefusedNamingBothFingerprintsAndNothingIsWritten() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 10);
        String impostor = OpenSshServer.fingerprint(OpenSshServer.keygen(dir.resolve("other_host_key"), "ed25519"));
        String real = OpenSshServer.fingerprint(sshd.hostKey("ed25519"));
        try (TestEngine engine = TestEngine.open(dir.resolve("ws"))) {
            engine.vault.set("acme-key", Files.readString(userEd25519), "sftp://127.0.0.1:" + sshd.port(), "test");
            engine.importContract(contract(db, impostor).toString());

            RunResult result = engine.run("items-to-acme");

            assertThat(result.run().state()).isEqualTo(RunState.FAILED);
            assertThat(result.run().error()).contains("HOST KEY CHANGED", "presented " + real + " (ssh-ed25519)",
                    "the contract pins " + impostor);
            assertThat(engine.status.attempts(result.run().id())).as("not retried").hasSize(1);
            assertThat(engine.status.audit(50)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("destination.host-key-rejected");
                assertThat(e.after()).contains(real);
            });
            assertThat(sshd.log()).as("the client gave up before authenticating").doesNotContain("Accepted publickey");
            try (Stream<Path> remote = Files.list(dir.resolve("remote"))) {
                assertThat(remote).isEmpty();
            }
        }
    }

    @Test
    void destinationTestPrintsTheEd25519FingerprintSshKeygenPrintsAndAcceptsItPinned() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        String expected = OpenSshServer.fingerprint(sshd.hostKey("ed25519"));
        assertThat(cli("secret", "set", "acme-key", "--scope", "sftp://127.0.0.1:" + sshd.port(), "--from-file",
                userEd25519.toString()).code()).isZero();
        Path file = dir.resolve("contract.json");
        Files.writeString(file, contract(db, null).toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();

        CliRun.Result unknown = cli("destination", "test", "items-to-acme");

        assertThat(unknown.code()).isEqualTo(dev.exportdesk.cli.ExitCodes.UNAVAILABLE);
        assertThat(unknown.err()).contains("unknown host key", "presented " + expected + " (ssh-ed25519)");

        Files.writeString(file, contract(db, expected).toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();
        CliRun.Result pinned = cli("destination", "test", "items-to-acme");
        assertThat(pinned.code()).as(pinned.out() + pinned.err()).isZero();
        assertThat(pinned.out()).contains("hash verified, deleted");
    }

    private CliRun.Result cli(String... args) {
        return new CliRun(dir.resolve("ws")).run(args);
    }

    @Test
    void rsaAndEcdsaUserKeysStillWorkAgainstOpenSsh() throws Exception {
        String pin = OpenSshServer.fingerprint(sshd.hostKey("ed25519"));
        for (Path key : List.of(userRsa, userEcdsa)) {
            try (Destination d = Destinations.open(spec(sshd.port(), OpenSshServer.user(), dir.resolve("remote")
                    .toString(), pin), env(Files.readString(key)))) {
                roundTrip(d, key.getFileName().toString());
            }
        }
        assertThat(sshd.log()).contains("Accepted publickey for " + OpenSshServer.user() + " from 127.0.0.1")
                .contains(": RSA SHA256:").contains(": ECDSA SHA256:");
    }

    @Test
    void aPassphraseProtectedEd25519KeyIsRefusedWithAClearMessageAndNoRetry() throws Exception {
        Path encrypted = dir.resolve("client-keys/id_ed25519_encrypted");
        OpenSshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", encrypted.toString());
        String pin = OpenSshServer.fingerprint(sshd.hostKey("ed25519"));
        try (Destination d = Destinations.open(spec(sshd.port(), OpenSshServer.user(), dir.resolve("remote")
                .toString(), pin), env(Files.readString(encrypted)))) {
            assertThatThrownBy(() -> roundTrip(d, "encrypted")).isInstanceOfSatisfying(DeliveryException.class, e -> {
                assertThat(e.getMessage()).contains("protected by a passphrase", "ssh-keygen -p");
                assertThat(e.permanent()).isTrue();
            });
        }
        try (Stream<Path> remote = Files.list(dir.resolve("remote"))) {
            assertThat(remote).isEmpty();
        }
    }

    @Test
    void theInProcessServerWithAnEd25519HostKeyAcceptsEd25519RsaAndEcdsaUserKeys() throws Exception {
        KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        List<KeyPair> users = List.of(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256),
                KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048),
                KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256));
        for (KeyPair user : users) {
            Path root = Files.createDirectories(dir.resolve("mina-" + KeyUtils.getKeyType(user)));
            try (SftpServer server = SftpServer.start(root, host, null, user.getPublic());
                 Destination d = Destinations.open(spec(server.port(), SftpServer.USER, "/inbound",
                         server.fingerprint()), env(SftpServer.privateKeyText(user)))) {
                roundTrip(d, KeyUtils.getKeyType(user));
            }
        }
    }

    private static void roundTrip(Destination d, String label) throws Exception {
        Path local = Files.createTempFile("probe", ".bin");
        try {
            Files.writeString(local, "delivered with " + label);
            String sha = Hashing.digest(local).sha256();
            d.put("probe/" + label + ".txt", local, sha, new dev.exportdesk.transfer.TransferProgress());
            try (var in = d.open("probe/" + label + ".txt")) {
                assertThat(Hashing.digest(in).sha256()).as(label).isEqualTo(sha);
            }
        } finally {
            Files.delete(local);
        }
    }

    private static SftpDestinationSpec spec(int port, String user, String path, String pin) {
        return new SftpDestinationSpec("127.0.0.1", port, user, path, pin, null, SecretRef.env("SFTP_KEY"),
                new TransferPolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), null));
    }

    private static TransferEnvironment env(String privateKey) {
        return new TransferEnvironment(dev.exportdesk.testing.TestSecrets.fromEnv(Map.of("SFTP_KEY", privateKey)),
                UploadJournal.inMemory(), null);
    }
}
