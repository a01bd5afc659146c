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
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WideRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Named destinations through the command line, against a real in-process SFTP server: the password
 * given with {@code --password-file} goes into the vault, a contract naming the destination delivers
 * there, and the password is then searched for byte by byte in the workspace (H2 file, logs,
 * staging), the partner's files, every printed line and every DEBUG log event.
 */
@Timeout(180)
class NamedDestinationCliTest {
    static final String PASSWORD = "FAKE-NAMED-DEST-PASSWORD-51c0e2aa";

    @TempDir
    Path dir;
    final StringWriter printed = new StringWriter();
    final Map<String, String> env = Map.of("USER", "owner");

    int cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", dir.resolve("ws").toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(all.toArray(String[]::new), env, p -> { }, new PrintWriter(out), new PrintWriter(err));
        printed.append(out.toString()).append(err.toString());
        return code;
    }

    @Test
    void namedSftpDestinationDeliversAndItsPasswordAppearsNowhere() throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logs);
        captured.start();
        Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        Level before = logs.getLogger("dev.exportdesk").getLevel();
        logs.getLogger("dev.exportdesk").setLevel(Level.DEBUG);
        try (SftpServer sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), PASSWORD)) {
            run(sftp);
        } finally {
            root.detachAppender(captured);
            logs.getLogger("dev.exportdesk").setLevel(before);
        }
        StringBuilder logText = new StringBuilder();
        for (ILoggingEvent e : captured.list) {
            logText.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                logText.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        assertThat(printed.toString()).doesNotContain(PASSWORD);
        assertThat(logText.toString()).doesNotContain(PASSWORD);
        for (Path where : List.of(dir.resolve("ws"), dir.resolve("sftp"))) {
            assertThat(filesContaining(where, PASSWORD)).as("files under %s holding the password", where).isEmpty();
        }
        assertThat(filesContaining(dir.resolve("ws/state"), "destination.acme-sftp.password"))
                .as("positive control: the scan reads the database").isNotEmpty();
    }

    private void run(SftpServer sftp) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 200);
        ObjectNode spec = Contracts.base("x", db, "items", dir.resolve("unused"));
        ObjectNode dest = Contracts.sftpDestination(spec, sftp, sftp.port(), "placeholder");
        dest.remove("password_secret");
        Files.writeString(dir.resolve("dest.json"), dest.toString());
        Files.writeString(dir.resolve("pw"), PASSWORD + "\n");

        // bad input names the field and stores nothing
        Files.writeString(dir.resolve("bad.json"), dest.deepCopy().put("port", 70000).toString());
        assertThat(cli("destination", "add", "acme-sftp", "--from-file", dir.resolve("bad.json").toString(),
                "--password-file", dir.resolve("pw").toString())).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(printed.toString()).contains("port");
        assertThat(cli("destination", "add", "acme-sftp", "--from-file", dir.toString()))
                .isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(printed.toString()).contains("--from-file: " + dir + " is not a regular file");
        assertThat(cli("secret", "list")).isZero();
        assertThat(printed.toString()).doesNotContain("destination.acme-sftp.password");

        assertThat(cli("destination", "add", "acme-sftp", "--from-file", dir.resolve("dest.json").toString(),
                "--password-file", dir.resolve("pw").toString())).as("%s", printed).isZero();
        assertThat(cli("destination", "test-named", "acme-sftp", "--bytes", "4096")).as("%s", printed).isZero();

        ObjectNode named = Contracts.base("items-named", db, "items", dir.resolve("unused"));
        named.put("destination", "acme-sftp");
        Files.writeString(dir.resolve("named.json"), named.toString());
        ObjectNode unknown = Contracts.base("items-nowhere", db, "items", dir.resolve("unused"));
        unknown.put("destination", "nowhere");
        Files.writeString(dir.resolve("unknown.json"), unknown.toString());
        assertThat(cli("contract", "import", dir.resolve("unknown.json").toString()))
                .isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(printed.toString()).contains("$.destination").contains("no destination named \"nowhere\"");

        assertThat(cli("contract", "import", dir.resolve("named.json").toString())).as("%s", printed).isZero();
        assertThat(cli("run", "items-named")).as("%s", printed).isZero();
        try (Stream<Path> delivered = Files.walk(dir.resolve("sftp/inbound/items-named"))) {
            assertThat(delivered.filter(p -> p.getFileName().toString().endsWith(".jsonl.zst")).count())
                    .as("chunks arrived over SFTP").isPositive();
        }
        assertThat(cli("contract", "export", "items-named")).isZero();
        assertThat(printed.toString()).contains("\"destination\" : \"acme-sftp\"");

        assertThat(cli("destination", "remove", "acme-sftp")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(printed.toString()).contains("named by contract(s) items-named");
        // nothing listens on a port just closed: the probe fails, exit 7, said in words
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Files.writeString(dir.resolve("dead.json"), dest.deepCopy().put("port", dead).toString());
        assertThat(cli("destination", "add", "dead", "--from-file", dir.resolve("dead.json").toString(),
                "--password-file", dir.resolve("pw").toString())).isZero();
        assertThat(cli("destination", "test-named", "dead", "--bytes", "1024")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(printed.toString()).contains("FAILED: ");
        assertThat(cli("destination", "list")).isZero();
        assertThat(printed.toString()).contains("acme-sftp  sftp partner@127.0.0.1:" + sftp.port()
                + "/inbound  named by items-named");
    }

    static List<Path> filesContaining(Path root, String needle) throws Exception {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(f);
                outer:
                for (int i = 0; i <= data.length - n.length; i++) {
                    for (int j = 0; j < n.length; j++) {
                        if (data[i + j] != n[j]) {
                            continue outer;
                        }
                    }
                    hits.add(f);
                    break;
                }
            }
        }
        return hits;
    }
}
