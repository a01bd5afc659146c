package dev.exportdesk.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.OpenSshServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WideRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, {@code java -jar target/exportdesk.jar} with its {@code lib/}, reaches an
 * OpenSSH server that has only an ed25519 host key with an ed25519 user key: the EdDSA provider
 * (Bouncy Castle) must ship with the app, whole and loadable. Runs in `mvn verify` after `package`.
 */
@Timeout(300)
class PackagedEd25519IT {
    @TempDir
    Path dir;

    private String app(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("exportdesk.app.jar", "target/exportdesk.jar"));
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        List<String> full = new java.util.ArrayList<>(List.of("--workspace", dir.resolve("ws").toString()));
        full.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "app", ".out");
        int code = ChildJvm.runJar(jar, log, 120, full.toArray(String[]::new));
        String out = Files.readString(log);
        assertThat(code).as(String.join(" ", args) + ":\n" + out).isZero();
        // the packaged logging configuration loads without complaint: nothing of logback's own status is printed
        assertThat(out).as("output of " + String.join(" ", args)).doesNotContain("logback", "|-WARN", "|-INFO");
        return out;
    }

    @Test
    void thePackagedAppDeliversOverSftpWithEd25519Keys() throws Exception {
        Path userKey = OpenSshServer.keygen(Files.createDirectories(dir.resolve("keys")).resolve("id_ed25519"), "ed25519");
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 50);
        Path remote = Files.createDirectories(dir.resolve("remote"));
        try (OpenSshServer sshd = OpenSshServer.start(dir.resolve("sshd"), List.of("ed25519"),
                List.of(OpenSshServer.publicKeyLine(userKey)))) {
            ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
            contract.putObject("destination").put("type", "sftp").put("host", "127.0.0.1").put("port", sshd.port())
                    .put("user", OpenSshServer.user()).put("path", remote.toString())
                    .put("host_key_sha256", OpenSshServer.fingerprint(sshd.hostKey("ed25519")))
                    .put("private_key_secret", "acme-key");
            Path file = dir.resolve("contract.json");
            Files.writeString(file, contract.toString());
            app("secret", "set", "acme-key", "--scope", "sftp://127.0.0.1:" + sshd.port(), "--from-file",
                    userKey.toString());
            app("contract", "import", file.toString());

            assertThat(app("destination", "test", "items-to-acme")).contains("hash verified, deleted");
            assertThat(app("run", "items-to-acme")).contains("completed: 50 rows");
        }
        Path run = remote.resolve("items-to-acme/run-000001");
        assertThat(run.resolve("manifest.json")).isRegularFile();
        assertThat(Files.readString(run.resolve("SHA256SUMS"))).contains(
                Hashing.digest(run.resolve("chunk-000001.jsonl.zst")).sha256());
    }
}
