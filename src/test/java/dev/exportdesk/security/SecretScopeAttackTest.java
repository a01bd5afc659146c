package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.cli.ExitCodes;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WideRows;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3, as an attacker with the steward's rights: a contract names a credential an
 * administrator bound to one destination (or an environment variable of the process) and points
 * the destination somewhere else. Every such run is refused before anything reaches the other
 * server, the refusal is audited naming secret and destination, and the planted value is in no byte
 * the other server received, no workspace file (store, logs) and nothing the CLI printed. The same
 * credential still works for the destination it is bound to.
 */
@Timeout(240)
class SecretScopeAttackTest {
    static final String PLANTED = "PLANTED-SFTP-PASSWORD-7c1e99b04a";
    static final String PLANTED_OWN = "PLANTED-EXPORTDESK-VALUE-0a8e3c";

    @TempDir
    Path dir;
    SftpServer a;
    SftpServer b;
    SourceDb db;
    CliHarness cli;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        a = SftpServer.start(Files.createDirectories(dir.resolve("a")), PLANTED);
        Files.createDirectories(dir.resolve("a/inbound"));
        // B accepts anything: if a credential reached it, the export would succeed there
        b = SftpServer.start(Files.createDirectories(dir.resolve("b")), PLANTED);
        Files.createDirectories(dir.resolve("b/inbound"));
        db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 50);
        cli = new CliHarness(dir.resolve("ws"));
        env = Map.of("USER", "steward", "SFTP_PASSWORD", PLANTED, "EXPORTDESK_PLANTED", PLANTED_OWN);
        Path value = dir.resolve("value");
        Files.writeString(value, PLANTED);
        assertThat(cli.run(env, "secret", "set", "acme-sftp", "--scope", "sftp://127.0.0.1:" + a.port(),
                "--from-file", value.toString())).as(cli.printed()).isZero();
        Files.delete(value);
    }

    @AfterEach
    void tearDown() throws Exception {
        a.close();
        b.close();
    }

    private int importAndRun(String name, SftpServer target, String field, String ref) throws Exception {
        ObjectNode c = Contracts.base(name, db, "items", dir.resolve("unused"));
        Contracts.sftpDestination(c, target, target.port(), "unused").remove("password_secret");
        ((ObjectNode) c.get("destination")).put(field, ref);
        c.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, c.toString());
        int imported = cli.run(env, "contract", "import", file.toString());
        return imported != 0 ? imported : cli.run(env, "run", name);
    }

    private List<AuditEntry> refusals() {
        return cli.audit().stream().filter(e -> e.action().equals("secret.refused")).toList();
    }

    private void assertNothingLeaked(String value) throws Exception {
        assertThat(cli.printed()).doesNotContain(value);
        assertThat(CliHarness.filesContaining(dir.resolve("ws"), value)).as("workspace files (store, logs)").isEmpty();
        assertThat(CliHarness.filesContaining(dir.resolve("b"), value)).isEmpty();
    }

    @Test
    void aStoredSecretScopedToHostANeverReachesHostB() throws Exception {
        int code = importAndRun("to-b", b, "password_secret", "acme-sftp");

        assertThat(code).as(cli.printed()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(cli.printed()).contains("may only be sent to sftp://127.0.0.1:" + a.port());
        assertThat(b.passwordAttempts()).as("no credential was offered to B").isZero();
        try (var files = Files.walk(dir.resolve("b"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("nothing delivered to B").isEmpty();
        }
        assertThat(refusals()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.subject()).isEqualTo("secret acme-sftp");
            assertThat(e.after()).contains("sftp://127.0.0.1:" + b.port()).doesNotContain(PLANTED);
        });
        assertNothingLeaked(PLANTED);
        assertThat(CliHarness.filesContaining(dir.resolve("ws/state"), "acme-sftp")).as("positive control: the "
                + "scan reads the store").isNotEmpty();

        assertThat(importAndRun("to-a", a, "password_secret", "acme-sftp")).as("the bound destination works: %s",
                cli.printed()).isZero();
        assertThat(a.passwordAttempts()).isPositive();
    }

    @Test
    void anEnvironmentVariableNeedsAnAllowListEntryForThatVeryDestination() throws Exception {
        assertThat(importAndRun("env-unlisted", a, "password_env", "SFTP_PASSWORD")).as(cli.printed())
                .isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(cli.printed()).contains("SFTP_PASSWORD is not allowed for sftp://127.0.0.1:" + a.port())
                .contains("exportdesk secret allow-env SFTP_PASSWORD");
        assertThat(a.passwordAttempts()).as("refused before connecting, though A would accept it").isZero();

        assertThat(cli.run(env, "secret", "allow-env", "SFTP_PASSWORD", "--scope", "sftp://127.0.0.1:" + a.port()))
                .as(cli.printed()).isZero();
        assertThat(importAndRun("env-to-b", b, "password_env", "SFTP_PASSWORD")).as(cli.printed())
                .isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(b.passwordAttempts()).isZero();
        assertThat(refusals()).extracting(AuditEntry::subject).containsOnly("env SFTP_PASSWORD");
        assertThat(refusals()).hasSize(2);
        assertNothingLeaked(PLANTED);

        assertThat(importAndRun("env-to-a", a, "password_env", "SFTP_PASSWORD")).as(cli.printed()).isZero();
        assertThat(cli.run(env, "secret", "list")).isZero();
        assertThat(cli.lastOut).contains("SFTP_PASSWORD").contains("sftp://127.0.0.1:" + a.port())
                .contains("acme-sftp").doesNotContain(PLANTED);
    }

    @Test
    void exportDesksOwnVariablesAreNeverAllowedNorAccepted() throws Exception {
        int before = cli.audit().size();
        assertThat(cli.run(env, "secret", "allow-env", "EXPORTDESK_PLANTED", "--scope",
                "sftp://127.0.0.1:" + a.port())).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(cli.lastErr).contains("EXPORTDESK_PLANTED").contains("never");
        assertThat(cli.audit()).hasSize(before);
        assertThat(importAndRun("own-env", a, "password_env", "EXPORTDESK_PLANTED")).as(cli.printed())
                .isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(cli.printed()).contains("$.destination.password_env");
        assertThat(a.passwordAttempts()).isZero();
        assertNothingLeaked(PLANTED_OWN);
    }

    @Test
    void s3CredentialsScopedToOneBucketEndpointNeverReachAnother() throws Exception {
        try (S3Server s3 = S3Server.start(dir.resolve("blobs"), "partner-drop");
             Recorder recorder = new Recorder()) {
            Path ak = dir.resolve("ak");
            Files.writeString(ak, S3Server.ACCESS_KEY);
            String scope = "s3://127.0.0.1:" + s3.port() + "/partner-drop";
            assertThat(cli.run(env, "secret", "set", "acme-s3-key", "--scope", scope, "--from-file", ak.toString()))
                    .isZero();
            Files.writeString(ak, S3Server.SECRET_KEY);
            assertThat(cli.run(env, "secret", "set", "acme-s3-secret", "--scope", scope, "--from-file",
                    ak.toString())).isZero();
            Files.delete(ak);
            for (int port : new int[] {recorder.port(), s3.port()}) {
                ObjectNode c = Contracts.base("s3-" + port, db, "items", dir.resolve("unused"));
                c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + port)
                        .put("allow_insecure_http", true).put("bucket", "partner-drop").put("path_style", true)
                        .put("access_key_id_secret", "acme-s3-key").put("secret_access_key_secret", "acme-s3-secret")
                        .put("connect_timeout", "5s");
                c.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
                Files.writeString(dir.resolve("s3.json"), c.toString());
                assertThat(cli.run(env, "contract", "import", dir.resolve("s3.json").toString())).isZero();
            }
            assertThat(cli.run(env, "run", "s3-" + recorder.port())).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(cli.run(env, "destination", "test", "s3-" + recorder.port()))
                    .isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(recorder.connections.get()).as("nothing connected to the other endpoint").isZero();
            assertThat(recorder.received.toString(StandardCharsets.ISO_8859_1)).doesNotContain(S3Server.ACCESS_KEY);
            assertThat(refusals()).extracting(AuditEntry::subject).contains("secret acme-s3-key");
            assertThat(refusals()).allSatisfy(e -> assertThat(e.after())
                    .contains("s3://127.0.0.1:" + recorder.port() + "/partner-drop"));
            assertThat(cli.audit()).extracting(AuditEntry::action).contains("destination.test");
            for (String value : List.of(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)) {
                assertThat(cli.printed()).doesNotContain(value);
                assertThat(CliHarness.filesContaining(dir.resolve("ws"), value)).isEmpty();
            }
            assertThat(cli.run(env, "run", "s3-" + s3.port())).as("bound endpoint: %s", cli.printed()).isZero();
        }
    }

    /** A loopback server that records every byte anyone sends it and answers nothing useful. */
    static final class Recorder implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final AtomicInteger connections = new AtomicInteger();
        final Thread acceptor;

        Recorder() throws Exception {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        s.setSoTimeout(2000);
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[8192];
                        int n = in.read(buf);
                        synchronized (received) {
                            received.write(buf, 0, Math.max(n, 0));
                        }
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        // closed or a client gone: keep serving until closed
                    }
                }
            }, "recorder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(5000);
        }
    }
}
