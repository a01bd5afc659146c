package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 10, through the CLI: SHA256SUMS is never empty — it lists the chunks and the run's
 * ledger files — so coreutils' {@code sha256sum -c} passes on an incremental run with no changes
 * (it rejects an empty file: "no properly formatted checksum lines found").
 */
class Sha256SumsCliTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--workspace";
        full[1] = dir.resolve("ws").toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = Cli.execute(full, Map.of(), p -> { }, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aRunWithNoChangesPassesSha256sumCheck() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 300)");
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
        Path file = dir.resolve("contract.json");
        Files.writeString(file, contract.toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();
        assertThat(cli("run", "items-to-acme").code()).isZero();
        Result quiet = cli("run", "items-to-acme");
        assertThat(quiet.code()).as(quiet.out() + quiet.err()).isZero();

        Path run2 = dir.resolve("drop/items-to-acme/run-000002");
        assertThat(Files.readString(run2.resolve("manifest.json"))).contains("\"chunks\" : [ ]");
        assertThat(Files.readString(run2.resolve("SHA256SUMS")))
                .matches("[0-9a-f]{64}  checkpoint\\.txt\n[0-9a-f]{64}  ledger-proofs\\.json\n");
        assertThat(sha256sumCheck(run2)).contains("checkpoint.txt: OK", "ledger-proofs.json: OK");
        assertThat(sha256sumCheck(run2.resolveSibling("run-000001")))
                .contains("chunk-000001.jsonl.zst: OK", "checkpoint.txt: OK", "ledger-proofs.json: OK");

        Result verify = cli("verify", "items-to-acme");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        Result partner = cli("verify-delivery", dir.resolve("drop/items-to-acme").toString());
        assertThat(partner.code()).as(partner.out() + partner.err()).isZero();
        assertThat(partner.out()).contains("PASS  SHA256SUMS: lists every chunk and the ledger files");

        // the ledger files are protected by the line too: a changed proofs file fails coreutils' check
        Files.writeString(run2.resolve("ledger-proofs.json"), " ", java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(run2.toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    /** Runs the real coreutils binary in the run folder; returns its output after asserting exit 0. */
    private static String sha256sumCheck(Path runFolder) throws Exception {
        Process p = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(runFolder.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
