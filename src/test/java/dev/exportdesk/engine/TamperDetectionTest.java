package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.partner.Item;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.Check;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One byte flipped in a delivered chunk, a manifest, a receipt, the ledger file or the state
 * store's ledger rows (and ledger rows reordered or dropped): each is detected, and the failing
 * item names what was changed. Before any tampering everything passes, so each failure is caused
 * by the injected change alone.
 */
class TamperDetectionTest {
    @TempDir
    Path dir;

    private TestEngine t;
    private Path contractDir;
    private String verifierKey;

    @BeforeEach
    void twoDeliveredRunsThatVerify() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 2500)");
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 1000);
        t = TestEngine.open(dir.resolve("ws"));
        t.importContract(contract.toString());
        RunResultAssert.completed(t.run("items-to-acme"));
        db.exec("INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-02 12:00:00+00' "
                + "FROM SYSTEM_RANGE(2501, 2600)");
        RunResultAssert.completed(t.run("items-to-acme"));
        contractDir = dir.resolve("drop").resolve("items-to-acme");
        verifierKey = Files.readString(dir.resolve("ws/ledger/verifier.key")).trim();

        PartnerVerifier.Result first = partner();
        assertThat(first.items()).filteredOn(i -> !i.ok()).isEmpty();
        assertThat(first.items()).extracting(Item::subject).contains("ledger consistency", "chunk-000001.jsonl.zst (ledger)",
                "checkpoint.txt", "manifest chain", PartnerVerifier.RECEIPT_FILE);
        assertThat(first.items()).filteredOn(i -> i.subject().equals("ledger consistency")).last()
                .extracting(Item::detail).asString().contains("append-only");
        assertThat(contractDir.resolve("run-000002/manifest.json.ack")).exists();
        assertThat(t.verify.verify("items-to-acme", false)).allMatch(VerifyService.DeepOutcome::ok);
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
    }

    @AfterEach
    void close() {
        t.close();
    }

    private PartnerVerifier.Result partner() throws Exception {
        return new PartnerVerifier(verifierKey, true).verify(contractDir, dir.resolve("partner-state.json"));
    }

    private static void flipByte(Path file, int offset) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x01;
        Files.write(file, b);
    }

    private static List<String> failed(List<Item> items) {
        return items.stream().filter(i -> !i.ok()).map(i -> i.run() + "/" + i.subject()).toList();
    }

    private List<Check> engineFailures() {
        return t.verify.verify("items-to-acme", false).stream().flatMap(o -> o.report().failures().stream()).toList();
    }

    @Test
    void aFlippedByteInADeliveredChunkIsNamed() throws Exception {
        Path chunk = contractDir.resolve("run-000001/chunk-000002.jsonl.zst");
        flipByte(chunk, (int) Files.size(chunk) / 2);

        assertThat(failed(new PartnerVerifier(verifierKey, false).verify(contractDir.resolve("run-000001"), null).items()))
                .contains("run-000001/chunk-000002.jsonl.zst").doesNotContain("run-000001/chunk-000001.jsonl.zst");
        assertThat(engineFailures()).extracting(Check::subject).containsExactly("chunk-000002.jsonl.zst");
    }

    @Test
    void aFlippedByteInAManifestIsNamed() throws Exception {
        Path manifest = contractDir.resolve("run-000002/manifest.json");
        String text = Files.readString(manifest);
        flipByte(manifest, text.indexOf("\"rows\" : ") + 10); // a digit of the run's row count

        assertThat(engineFailures()).extracting(Check::subject).contains("manifest.json");
        // the manifest's own hash is a ledger leaf: the partner sees it is not the manifest that was recorded
        List<String> partnerFailures = failed(new PartnerVerifier(verifierKey, false).verify(contractDir, null).items());
        assertThat(partnerFailures).contains("run-000002/manifest.json (ledger)")
                .noneMatch(f -> f.startsWith("run-000001/"));
    }

    @Test
    void aManifestEntryRewrittenConsistentlyStillFailsItsInclusionProof() throws Exception {
        // rewrite a chunk's row count in the manifest AND keep everything else parseable
        Path manifest = contractDir.resolve("run-000001/manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replaceFirst("\"rows\" : 1000,", "\"rows\" : 1001,"));

        assertThat(failed(new PartnerVerifier(verifierKey, false).verify(contractDir.resolve("run-000001"), null).items()))
                .contains("run-000001/chunk-000001.jsonl.zst (ledger)");
    }

    @Test
    void aFlippedByteInAReceiptIsNamed() throws Exception {
        Path receipt = contractDir.resolve("run-000001/manifest.json.ack");
        String text = Files.readString(receipt, StandardCharsets.UTF_8);
        flipByte(receipt, text.indexOf("\"manifest_sha256\"") + 22);

        assertThat(engineFailures()).extracting(Check::subject).containsExactly("manifest.json.ack");
    }

    @Test
    void aFlippedByteInTheLedgerFileIsNamed() throws Exception {
        Path ledger = dir.resolve("ws/ledger/ledger.log");
        flipByte(ledger, (int) Files.size(ledger) - 5);

        assertThat(new LedgerAudit(t.ctx).audit()).filteredOn(c -> !c.ok()).extracting(Check::subject)
                .containsExactly("ledger file");
    }

    @Test
    void aChangedLedgerRowIsNamedAndStopsTheNextRun() throws Exception {
        t.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE ledger_entries SET leaf = REPLACE(leaf, 'rows=1000', 'rows=1001') WHERE leaf_index = 0")) {
                st.executeUpdate();
            }
        });
        List<Check> audit = new LedgerAudit(t.ctx).audit();
        assertThat(audit).filteredOn(c -> !c.ok()).extracting(Check::subject)
                .contains("ledger rows", "ledger file", "ledger checkpoints", "ledger vs chunks");
        assertThat(audit).filteredOn(c -> c.subject().equals("ledger rows")).first().extracting(Check::detail)
                .asString().contains("entry 0");

        RunResult next = t.run("items-to-acme");
        assertThat(next.completed()).isFalse();
        assertThat(next.run().error()).contains("ledger").contains("entry 0");
    }

    @Test
    void aChangedLedgerHashIsNamed() throws Exception {
        t.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE ledger_entries SET leaf_hash = '" + "0".repeat(64) + "' WHERE leaf_index = 2")) {
                st.executeUpdate();
            }
        });
        assertThat(new LedgerAudit(t.ctx).audit()).filteredOn(c -> !c.ok()).extracting(Check::subject)
                .contains("ledger rows", "ledger file");
    }

    @Test
    void reorderedOrDroppedLedgerRowsAreDetected() throws Exception {
        t.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE ledger_entries SET leaf_index = CASE leaf_index "
                    + "WHEN 0 THEN 1 WHEN 1 THEN 0 END WHERE leaf_index IN (0, 1)")) {
                st.executeUpdate();
            }
        });
        assertThat(new LedgerAudit(t.ctx).audit()).filteredOn(c -> !c.ok()).extracting(Check::subject)
                .contains("ledger file", "ledger checkpoints");

        t.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM ledger_entries WHERE leaf_index = 1")) {
                st.executeUpdate();
            }
        });
        List<Check> audit = new LedgerAudit(t.ctx).audit();
        assertThat(audit).filteredOn(c -> c.subject().equals("ledger rows")).first().extracting(Check::detail)
                .asString().contains("entry 1 missing");
    }
}
