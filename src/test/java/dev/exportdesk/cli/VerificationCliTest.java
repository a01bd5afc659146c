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

/** The verification commands end to end, as an operator and a partner type them. */
class VerificationCliTest {
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
    void verifyDeepVerifyDeliveryLedgerAndReport() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 1200)");
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
        contract.putObject("schedule").put("verify_interval", "1h").put("verify_level", "deep");
        Path file = dir.resolve("contract.json");
        Files.writeString(file, contract.toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();
        assertThat(cli("run", "items-to-acme").code()).isZero();

        Result clean = cli("verify", "items-to-acme", "--deep");
        assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("PASS  chunk-000001.jsonl.zst (source): match");
        assertThat(cli("verify", "--due").out()).as("verified within the hour: nothing due").doesNotContain("PASS");

        db.exec("UPDATE items SET name = 'changed' WHERE id = 42", "DELETE FROM items WHERE id = 43");
        Result drift = cli("verify", "items-to-acme", "--deep");
        assertThat(drift.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(drift.out()).contains("changed  key [42]", "missing  key [43]", "missing at source");

        Result partner = cli("verify-delivery", dir.resolve("drop/items-to-acme").toString());
        assertThat(partner.code()).as(partner.out() + partner.err()).isZero();
        assertThat(partner.out()).contains("PASS  checkpoint.txt", "PASS  manifest.json.ack", "delivery verified");
        assertThat(dir.resolve("drop/items-to-acme/run-000001/manifest.json.ack")).exists();
        assertThat(cli("verify", "items-to-acme").out()).contains("PASS  manifest.json.ack");

        Result key = cli("ledger", "public-key");
        assertThat(key.out().trim()).startsWith("exportdesk/").contains("+");
        Result wrongKey = cli("verify-delivery", dir.resolve("drop/items-to-acme").toString(), "--public-key",
                key.out().trim().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+"), "--no-ack", "--state",
                dir.resolve("other-state.json").toString());
        assertThat(wrongKey.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(cli("ledger", "verify").out()).contains("ledger intact");

        Path pdf = dir.resolve("out/report.pdf");
        Result report = cli("report", "--contract", "items-to-acme", "--from", "2000-01-01", "--format", "pdf", "--out",
                pdf.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readAllBytes(pdf)).startsWith("%PDF".getBytes());
        Path csv = dir.resolve("out/report.csv");
        assertThat(cli("report", "--run", "items-to-acme", "--format", "csv", "--out", csv.toString()).code()).isZero();
        assertThat(Files.readString(csv)).contains("MISSING_AT_SOURCE").contains("CHANGED [42]");
    }

    @Test
    void deepVerifyPassesDriftThatALaterRunCarried() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 500)");
        Path file = dir.resolve("contract.json");
        Files.writeString(file, Contracts.base("items-to-acme", db, "items", dir.resolve("drop")).toString());
        assertThat(cli("contract", "import", file.toString()).code()).isZero();
        assertThat(cli("run", "items-to-acme").code()).isZero();
        db.exec("UPDATE items SET name = 'renamed', updated_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00' "
                + "WHERE id = 42");
        assertThat(cli("run", "items-to-acme").code()).isZero();

        Result carried = cli("verify", "items-to-acme", "--deep");
        assertThat(carried.code()).as(carried.out() + carried.err()).isZero();
        assertThat(carried.out()).contains("PASS  chunk-000001.jsonl.zst (source): carried",
                "changed  key [42] (carried by run #2)");

        db.exec("DELETE FROM items WHERE id = 7");
        Result missing = cli("verify", "items-to-acme", "--deep");
        assertThat(missing.code()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(missing.out()).contains("FAIL  chunk-000001.jsonl.zst (source): missing at source",
                "missing  key [7]\n", "changed  key [42] (carried by run #2)");

        Result correct = cli("correct", "items-to-acme", "-q");
        assertThat(correct.code()).as(correct.out() + correct.err()).isZero();
        assertThat(correct.out()).contains("items-to-acme run #3", "completed: 1 rows in 1 chunk(s)");
        Result corrected = cli("verify", "items-to-acme", "--deep");
        assertThat(corrected.code()).as(corrected.out() + corrected.err()).isZero();
        assertThat(corrected.out()).contains("missing  key [7] (carried by run #3)");
        assertThat(cli("correct", "items-to-acme").out()).startsWith("nothing to correct");
        assertThat(cli("ledger", "verify").out()).as("the correction's leaves and checkpoint").contains("ledger intact");
        Result partner = cli("verify-delivery", dir.resolve("drop/items-to-acme").toString(), "--no-ack");
        assertThat(partner.code()).as(partner.out() + partner.err()).isZero();
        assertThat(partner.out()).contains("PASS  chunk-000001.jsonl.zst (corrects): run 1 chunk-000001.jsonl.zst, "
                + "listed in its manifest");
    }

    /**
     * Issue 11, item 10: SHA256SUMS is never empty — it lists the chunks and the run's ledger files —
     * so coreutils' {@code sha256sum -c} passes on an incremental run with no changes (it rejects an
     * empty file: "no properly formatted checksum lines found").
     */
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
