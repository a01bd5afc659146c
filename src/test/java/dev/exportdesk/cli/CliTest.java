package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in process: exit codes, messages that name the problem, verify catching tampering. */
class CliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] full = new String[args.length + 2];
        full[0] = "--workspace";
        full[1] = dir.resolve("ws").toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return Cli.execute(full, Map.of(), ws -> {
            throw new UnsupportedOperationException("no graphical display found (test)");
        }, new PrintWriter(out), new PrintWriter(err));
    }

    private Path setUpExport() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 3000)");
        ObjectNode contract = Contracts.base("orders-to-acme", db, "orders", dir.resolve("drop"));
        Path file = dir.resolve("orders.json");
        Files.writeString(file, contract.toString());
        assertThat(cli("contract", "import", file.toString())).as(err.toString()).isZero();
        assertThat(cli("run", "orders-to-acme", "-q")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("orders-to-acme run #1").contains("completed: 3,000 rows in 3 chunk(s)");
        return dir.resolve("drop/orders-to-acme/run-000001");
    }

    @Test
    void aChunkThePartnerFoundDamagedIsRedeliveredAndTheFreshReceiptAccepted() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 3000)");
        ObjectNode contract = Contracts.base("orders-to-acme", db, "orders", dir.resolve("drop"));
        ((ObjectNode) contract.get("destination")).put("ack_deadline", "1h").put("parallel_transfers", 2);
        Path file = dir.resolve("orders.json");
        Files.writeString(file, contract.toString());
        assertThat(cli("contract", "import", file.toString())).as(err.toString()).isZero();
        assertThat(cli("run", "orders-to-acme", "-q")).as(err.toString()).isZero();
        Path run = dir.resolve("drop/orders-to-acme/run-000001");
        String runId = new ObjectMapper().readTree(run.resolve("manifest.json").toFile()).path("run_id").asText();

        Path damaged = run.resolve("chunk-000002.jsonl.zst");
        byte[] sealed = Files.readAllBytes(damaged);
        byte[] bytes = sealed.clone();
        bytes[10] ^= 0x01;
        Files.write(damaged, bytes);
        // the partner acknowledges what it holds, damaged chunk included (sha256sum, as in docs/acknowledgements.md)
        ObjectNode receipt = new ObjectMapper().createObjectNode().put("format", "exportdesk-ack/1")
                .put("run_id", runId).put("manifest_sha256",
                        dev.exportdesk.chunk.Hashing.digest(run.resolve("manifest.json")).sha256());
        var chunks = receipt.putArray("chunks");
        for (int i = 1; i <= 3; i++) {
            String name = "chunk-00000" + i + ".jsonl.zst";
            chunks.addObject().put("file", name).put("sha256", dev.exportdesk.chunk.Hashing.digest(run.resolve(name))
                    .sha256());
        }
        Files.writeString(run.resolve("manifest.json.ack"), receipt.toString());

        assertThat(cli("ack", runId)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("receipt REDELIVERED").contains("chunk 2: REDELIVERED")
                .contains("redelivery-1.json");
        assertThat(Files.readAllBytes(damaged)).as("the sealed bytes are back").isEqualTo(sealed);
        assertThat(cli("status")).isZero();
        assertThat(out.toString()).contains("receipt REDELIVERED: orders-to-acme run 1");

        assertThat(cli("verify-delivery", run.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("receipt written");
        assertThat(cli("ack", runId)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("receipt ACKNOWLEDGED").contains("after 1 redelivery");
        assertThat(cli("verify", "orders-to-acme")).as(out.toString()).isZero();
        assertThat(dir.resolve("ws/retained").resolve(runId)).doesNotExist();
        // the run's own log tells the receipts and the redelivery after the run's attempt
        assertThat(cli("logs", runId)).isZero();
        String log = out.toString();
        assertThat(log).contains("attempt 1 ended: COMPLETED").contains("receipt REDELIVERED")
                .contains("chunk-000002.jsonl.zst redelivered with its sealed bytes").contains("receipt ACKNOWLEDGED");
        assertThat(log.indexOf("attempt 1 ended")).isLessThan(log.indexOf("receipt REDELIVERED"));
    }

    @Test
    void invalidContractExitsWithEveryErrorAndStoresNothing() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"name\": \"Bad Name\", \"partner\": \"acme\", \"table\": \"t\"}");
        assertThat(cli("contract", "import", file.toString())).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(err.toString()).contains(file.toString()).contains("$.name").contains("$.source")
                .contains("$.key_columns").contains("$.destination");
        assertThat(cli("contract", "list")).isZero();
        assertThat(out.toString()).contains("no contracts yet");
    }

    @Test
    void verifyNamesACorruptedOrTruncatedFile() throws Exception {
        Path run = setUpExport();
        assertThat(cli("verify", "orders-to-acme")).as(out.toString()).isZero();
        assertThat(out.toString()).contains("PASS  chunk-000001.jsonl.zst");

        try (RandomAccessFile f = new RandomAccessFile(run.resolve("chunk-000002.jsonl.zst").toFile(), "rw")) {
            f.seek(20);
            int b = f.read();
            f.seek(20);
            f.write(b ^ 0x01);
        }
        try (RandomAccessFile f = new RandomAccessFile(run.resolve("chunk-000003.jsonl.zst").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThat(cli("verify", "orders-to-acme")).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(out.toString()).contains("FAIL  chunk-000002.jsonl.zst").contains("FAIL  chunk-000003.jsonl.zst")
                .contains("PASS  chunk-000001.jsonl.zst");
        assertThat(err.toString()).contains("chunk-000002.jsonl.zst").contains("chunk-000003.jsonl.zst");
    }

    @Test
    void verifyDetectsAnEditedManifest() throws Exception {
        Path run = setUpExport();
        Path manifest = run.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"rows\" : 3000", "\"rows\" : 2999"));
        assertThat(cli("verify", "orders-to-acme")).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(out.toString()).contains("FAIL  manifest.json").contains("changed after delivery");
    }

    @Test
    void statusJsonDescribesContractsAndRuns() throws Exception {
        setUpExport();
        assertThat(cli("status", "--json")).isZero();
        JsonNode status = new ObjectMapper().readTree(out.toString());
        assertThat(status.get("contracts").get(0).get("contract").asText()).isEqualTo("orders-to-acme");
        assertThat(status.get("runs").get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(cli("status", "orders-to-acme")).isZero();
        assertThat(out.toString()).contains("chunk-000003.jsonl.zst").contains("DELIVERED");
    }

    @Test
    void withoutADisplayTheConsoleExplainsAndPointsToTheCli() {
        assertThat(cli()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("no graphical display");
    }

    @Test
    void runDueRunsOnlyScheduledContractsWhoseTimeHasCome() throws Exception {
        setUpExport(); // no schedule: never due
        assertThat(cli("run", "--due")).isZero();
        assertThat(out.toString()).contains("nothing is due");

        SourceDb db = SourceDb.h2(dir);
        ObjectNode scheduled = Contracts.base("hourly", db, "orders", dir.resolve("drop"));
        scheduled.putObject("schedule").put("interval", "1h");
        Path file = dir.resolve("hourly.json");
        Files.writeString(file, scheduled.toString());
        assertThat(cli("contract", "import", file.toString())).isZero();
        assertThat(cli("run", "--due", "-q")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("hourly run #1").doesNotContain("orders-to-acme");
        assertThat(cli("run", "--due", "-q")).isZero();
        assertThat(out.toString()).contains("nothing is due");
        assertThat(cli("run")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void unknownContractIsAClearError() {
        assertThat(cli("run", "nope")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(err.toString()).contains("no contract named \"nope\"");
    }
}
