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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 100);
        sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), SFTP_PASSWORD);
        s3 = S3Server.start(dir.resolve("blobs"), "partner-drop");
        SecretVault vault = new SecretVault(fixture.workspace.store(),
                () -> MasterKey.load(fixture.workspace.root(), Map.of()), Clock.systemUTC());
        vault.set("acme-sftp", SFTP_PASSWORD, "test");
        vault.set("acme-sftp-wrong", WRONG_PASSWORD, "test");
        vault.set("acme-s3-key", S3Server.ACCESS_KEY, "test");
        vault.set("acme-s3-secret", S3Server.SECRET_KEY, "test");
        vault.set("acme-s3-secret-wrong", WRONG_SECRET_KEY, "test");
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
        return (ObjectNode) new ObjectMapper().readTree(DemoContracts.orders(fixture.shop.jdbcUrl(),
                dir.resolve("drop")));
    }

    private static String sftpAt(int port, String secret) throws Exception {
        ObjectNode c = contract();
        Contracts.sftpDestination(c, sftp, port, secret).put("connect_timeout", "30s").put("stall_timeout", "30s");
        return c.toString();
    }

    private static String s3At(int port, String secretKeySecret) throws Exception {
        ObjectNode c = contract();
        c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + port)
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

    @Test
    void sftpReachable() throws Exception {
        String message = test(sftpAt(sftp.port(), "acme-sftp"));
        assertThat(message).startsWith("Destination reachable: sftp").contains("127.0.0.1");
        assertNoSecret(message);
    }

    @Test
    void sftpWrongPasswordIsNamedWithoutThePassword() throws Exception {
        String message = test(sftpAt(sftp.port(), "acme-sftp-wrong"));
        assertThat(message).doesNotStartWith("Destination reachable").containsIgnoringCase("password")
                .contains(SftpServer.USER).contains("acme-sftp-wrong");
        assertNoSecret(message);
    }

    @Test
    void sftpClosedPortSaysNothingListens() throws Exception {
        int port = closedPort();
        String message = test(sftpAt(port, "acme-sftp"));
        assertThat(message).doesNotStartWith("Destination reachable").contains("127.0.0.1:" + port);
        assertNoSecret(message);
    }

    @Test
    void sftpServerThatNeverAnswersEndsInTheTimeoutMessage() throws Exception {
        String message = test(sftpAt(silentPort(sftp.port()), "acme-sftp"));
        assertThat(message).startsWith("No answer in time: ").contains("gave up after "
                + ContractEditorViewModel.CONNECTION_TIMEOUT.toSeconds());
        assertNoSecret(message);
    }

    @Test
    void s3Reachable() throws Exception {
        String message = test(s3At(s3.port(), "acme-s3-secret"));
        assertThat(message).startsWith("Destination reachable: s3").contains("partner-drop");
        assertNoSecret(message);
    }

    @Test
    void s3WrongSecretKeyIsNamedWithoutTheKey() throws Exception {
        String message = test(s3At(s3.port(), "acme-s3-secret-wrong"));
        assertThat(message).doesNotStartWith("Destination reachable").containsIgnoringCase("secret")
                .contains("acme-s3-secret-wrong");
        assertNoSecret(message);
    }

    @Test
    void s3ClosedPortSaysNothingListens() throws Exception {
        int port = closedPort();
        String message = test(s3At(port, "acme-s3-secret"));
        assertThat(message).doesNotStartWith("Destination reachable").contains("127.0.0.1:" + port);
        assertNoSecret(message);
    }

    @Test
    void s3ServerThatNeverAnswersEndsInTheTimeoutMessage() throws Exception {
        String message = test(s3At(silentPort(s3.port()), "acme-s3-secret"));
        assertThat(message).startsWith("No answer in time: ").contains("gave up after "
                + ContractEditorViewModel.CONNECTION_TIMEOUT.toSeconds());
        assertNoSecret(message);
    }
}
