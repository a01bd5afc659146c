package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WideRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Credentials at rest, end to end through the CLI: known fake secrets are stored with
 * {@code secret set}, used for real SFTP and S3 exports, and then searched for, byte for byte, in
 * every file of the workspace (H2 database, logs, staging, key material), the partner's files, every
 * line the CLI printed (status, exported contracts, destination tests) and every log event. Nothing
 * may contain them; the secret names, as a positive control, must be found.
 */
@Timeout(180)
class SecretLeakTest {
    static final String SFTP_PASSWORD = "FAKE-SFTP-PASSWORD-9f2c41d7e3";

    @TempDir
    Path dir;
    final StringWriter printed = new StringWriter();

    int cli(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", dir.resolve("ws").toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(all.toArray(String[]::new), env, p -> { }, new PrintWriter(out), new PrintWriter(err));
        printed.append(out.toString()).append(err.toString());
        return code;
    }

    @Test
    void plantedSecretsAppearNowhere() throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logs);
        captured.start();
        Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        Map<String, Level> levels = new HashMap<>();
        for (String name : List.of("dev.exportdesk", "org.apache.sshd", "software.amazon.awssdk")) {
            levels.put(name, logs.getLogger(name).getLevel());
            logs.getLogger(name).setLevel(Level.DEBUG);
        }
        try (SftpServer sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), SFTP_PASSWORD);
             S3Server s3 = S3Server.start(dir.resolve("blobs"), "partner-drop")) {
            run(sftp, s3);
        } finally {
            root.detachAppender(captured);
            levels.forEach((name, level) -> logs.getLogger(name).setLevel(level));
        }

        List<String> secrets = List.of(SFTP_PASSWORD, S3Server.SECRET_KEY);
        StringBuilder logText = new StringBuilder();
        for (ILoggingEvent e : captured.list) {
            logText.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                logText.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        assertThat(captured.list).as("DEBUG logging was captured").hasSizeGreaterThan(20);
        for (String secret : secrets) {
            assertThat(printed.toString()).doesNotContain(secret);
            assertThat(logText.toString()).doesNotContain(secret);
            for (Path where : List.of(dir.resolve("ws"), dir.resolve("sftp"), dir.resolve("blobs"))) {
                assertThat(filesContaining(where, secret)).as("files under %s holding the secret", where).isEmpty();
            }
        }
        assertThat(filesContaining(dir.resolve("ws/state"), "acme-sftp")).as("positive control: the scan "
                + "reads the database").isNotEmpty();
        assertThat(printed.toString()).contains("acme-sftp").contains("ok: probe");
    }

    private void run(SftpServer sftp, S3Server s3) throws Exception {
        Map<String, String> env = Map.of("USER", "steward");
        Path input = Files.createDirectories(dir.resolve("secrets-in"));
        Files.writeString(input.resolve("sftp"), SFTP_PASSWORD);
        Files.writeString(input.resolve("ak"), S3Server.ACCESS_KEY);
        Files.writeString(input.resolve("sk"), S3Server.SECRET_KEY);
        assertThat(cli(env, "secret", "set", "acme-sftp", "--scope", "sftp://127.0.0.1:" + sftp.port(), "--from-file", input.resolve("sftp").toString())).as("%s", printed).isZero();
        assertThat(cli(env, "secret", "set", "acme-s3-key", "--scope", "s3://127.0.0.1:" + s3.port() + "/partner-drop", "--from-file", input.resolve("ak").toString())).as("%s", printed).isZero();
        assertThat(cli(env, "secret", "set", "acme-s3-secret", "--scope", "s3://127.0.0.1:" + s3.port() + "/partner-drop", "--from-file", input.resolve("sk").toString()))
                .isZero();
        assertThat(cli(env, "secret", "list")).as("%s", printed).isZero();

        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 300);

        ObjectNode toSftp = Contracts.base("items-to-sftp", db, "items", dir.resolve("unused"));
        Contracts.sftpDestination(toSftp, sftp, sftp.port(), "acme-sftp");
        ObjectNode toS3 = Contracts.base("items-to-s3", db, "items", dir.resolve("unused"));
        toS3.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + s3.port()).put("allow_insecure_http", true)
                .put("bucket", "partner-drop").put("path_style", true).put("access_key_id_secret", "acme-s3-key")
                .put("secret_access_key_secret", "acme-s3-secret");
        Files.writeString(dir.resolve("sftp.json"), toSftp.toString());
        Files.writeString(dir.resolve("s3.json"), toS3.toString());
        assertThat(cli(env, "contract", "import", dir.resolve("sftp.json").toString(),
                dir.resolve("s3.json").toString())).as("%s", printed).isZero();

        assertThat(cli(env, "run", "items-to-sftp")).as("%s", printed).isZero();
        assertThat(cli(env, "run", "items-to-s3")).as("%s", printed).isZero();
        assertThat(cli(env, "destination", "test", "items-to-sftp")).as("%s", printed).isZero();
        assertThat(cli(env, "destination", "test", "items-to-s3")).as("%s", printed).isZero();
        assertThat(cli(env, "status", "--json")).as("%s", printed).isZero();
        assertThat(cli(env, "status", "--json", "items-to-s3")).as("%s", printed).isZero();
        assertThat(cli(env, "status", "items-to-sftp")).as("%s", printed).isZero();
        assertThat(cli(env, "contract", "export", "items-to-sftp")).as("%s", printed).isZero();
        assertThat(cli(env, "contract", "export", "items-to-s3", "--out",
                dir.resolve("ws/staging/exported.json").toString())).as("%s", printed).isZero();
        assertThat(cli(env, "secret", "remove", "acme-s3-key")).as("%s", printed).isZero();
        assertThat(printed.toString()).contains("\"password_secret\" : \"acme-sftp\"")
                .as("status RUN shows per-chunk transfer attempts").contains("transfer attempts")
                .contains("\"transfer_attempts\"");
    }

    private static List<Path> filesContaining(Path root, String needle) throws Exception {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        if (!Files.exists(root)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(f);
                if (indexOf(data, n) >= 0) {
                    hits.add(f);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] data, byte[] n) {
        outer:
        for (int i = 0; i <= data.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (data[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
