package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.ui.ConnectionTimeout;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract editor's Test destination against a real SFTP server (MINA SSHD) and a real
 * S3-compatible server (s3proxy), credentials from the workspace's encrypted secrets: it succeeds;
 * a wrong password or secret key is named in words without the secret; a closed port says so; a
 * server that accepts but never answers ends in the editor's timeout message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestRemoteDestinationTest {
    private static final Logger LOG = LoggerFactory.getLogger(TestRemoteDestinationTest.class);
    static final String SFTP_PASSWORD = "sftp-pass-for-editor-tests";
    static final String WRONG_PASSWORD = "not-the-sftp-password-42";
    static final String WRONG_SECRET_KEY = "wrong-s3-secret-key-0123456789abcdefghij";
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static SftpServer sftp;
    static S3Server s3;
    static FaultProxy silent;
    static SecretVault vault;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 100);
        sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), SFTP_PASSWORD);
        s3 = S3Server.start(dir.resolve("blobs"), "partner-drop");
        vault = new SecretVault(fixture.workspace.store(),
                () -> MasterKey.load(fixture.workspace.root(), Map.of()), Clock.systemUTC());
    }

    /** Secrets are bound to one destination: each test binds them to the port it points the contract at. */
    private static void bindSecretsTo(int port) {
        String sftpScope = "sftp://127.0.0.1:" + port;
        String s3Scope = "s3://127.0.0.1:" + port + "/partner-drop";
        vault.set("acme-sftp", SFTP_PASSWORD, sftpScope, "test");
        vault.set("acme-sftp-wrong", WRONG_PASSWORD, sftpScope, "test");
        vault.set("acme-s3-key", S3Server.ACCESS_KEY, s3Scope, "test");
        vault.set("acme-s3-secret", S3Server.SECRET_KEY, s3Scope, "test");
        vault.set("acme-s3-secret-wrong", WRONG_SECRET_KEY, s3Scope, "test");
    }

    @AfterAll
    static void close() throws Exception {
        if (silent != null) {
            silent.close();
        }
        s3.close();
        sftp.close();
        fixture.close();
    }

    private static ObjectNode contract() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(DemoContracts.orders(dir.resolve("drop")));
    }

    private static String sftpAt(int port, String secret) throws Exception {
        ObjectNode c = contract();
        Contracts.sftpDestination(c, sftp, port, secret).put("connect_timeout", "30s").put("stall_timeout", "30s");
        return c.toString();
    }

    private static String s3At(int port, String secretKeySecret) throws Exception {
        ObjectNode c = contract();
        c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + port).put("allow_insecure_http", true)
                .put("bucket", "partner-drop").put("prefix", "exports/").put("path_style", true)
                .put("access_key_id_secret", "acme-s3-key").put("secret_access_key_secret", secretKeySecret)
                .put("connect_timeout", "30s").put("stall_timeout", "30s");
        return c.toString();
    }

    /** Test destination as the editor runs it; the message it shows. */
    private static String test(String json) {
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                json);
        vm.testDestination();
        assertThat(vm.busyProperty().get()).isFalse();
        LOG.info("Test destination: {}", vm.messageProperty().get());
        return vm.messageProperty().get();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** A server that accepts the connection and then never answers what the client sends. */
    private static int silentPort(int target) throws Exception {
        if (silent != null) {
            silent.close();
        }
        silent = FaultProxy.start(target);
        silent.arm(FaultProxy.Kind.STALL, 0);
        return silent.port();
    }

    private static void assertNoSecret(String message) {
        assertThat(message).doesNotContain(SFTP_PASSWORD).doesNotContain(WRONG_PASSWORD)
                .doesNotContain(S3Server.SECRET_KEY).doesNotContain(WRONG_SECRET_KEY);
    }

    /** The two remote kinds, each as a contract at a port with the right or the wrong credential. */
    enum Remote {
        SFTP("sftp", "password", "acme-sftp-wrong"), S3("s3", "secret", "acme-s3-secret-wrong");

        final String type;
        final String credentialWord;
        final String wrongSecret;

        Remote(String type, String credentialWord, String wrongSecret) {
            this.type = type;
            this.credentialWord = credentialWord;
            this.wrongSecret = wrongSecret;
        }

        int port() {
            return this == SFTP ? sftp.port() : s3.port();
        }

        String at(int port, boolean rightCredential) throws Exception {
            bindSecretsTo(port);
            return this == SFTP ? sftpAt(port, rightCredential ? "acme-sftp" : wrongSecret)
                    : s3At(port, rightCredential ? "acme-s3-secret" : wrongSecret);
        }
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void reachable(Remote remote) throws Exception {
        String message = test(remote.at(remote.port(), true));
        assertThat(message).startsWith("Destination reachable: " + remote.type).contains("127.0.0.1")
                .contains("no run of orders-to-acme delivered yet");
        assertNoSecret(message);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aWrongCredentialIsNamedWithoutItsValue(Remote remote) throws Exception {
        String message = test(remote.at(remote.port(), false));
        assertThat(message).doesNotStartWith("Destination reachable").containsIgnoringCase(remote.credentialWord)
                .containsIgnoringCase("refused").contains(remote.wrongSecret);
        assertNoSecret(message);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aClosedPortIsNamed(Remote remote) throws Exception {
        int port = closedPort();
        String message = test(remote.at(port, true));
        assertThat(message).doesNotStartWith("Destination reachable").contains("127.0.0.1:" + port)
                .containsIgnoringCase("connection refused");
        assertNoSecret(message);
    }

    @ParameterizedTest
    @EnumSource(Remote.class)
    void aServerThatNeverAnswersEndsInTheTimeoutMessage(Remote remote) throws Exception {
        String message = test(remote.at(silentPort(remote.port()), true));
        assertThat(message).isEqualTo("No answer in time: gave up after "
                + ConnectionTimeout.LIMIT.toMillis() / 1000.0 + " s");
    }
}
