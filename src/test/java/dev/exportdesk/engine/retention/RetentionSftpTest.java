package dev.exportdesk.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.RunResultAssert;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.ledger.PrunedLeaf;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.LedgerRepository;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SequentialItems;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.SteppedClock;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.Check;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention at an SFTP destination (MINA, in process) without receipts: every run past its time but
 * the newest goes, by name; a dry run lists exactly what goes; a foreign file and a link planted in a
 * run folder stay; the ledger verifies and the partner's verifier passes on what is left.
 */
class RetentionSftpTest {
    static final String PASSWORD = "sftp-pass-for-retention";

    @TempDir
    Path dir;
    TestEngine t;
    SftpServer server;

    @AfterEach
    void close() throws Exception {
        if (t != null) {
            t.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void prunesOldRunsButTheNewestAndLeavesForeignFiles() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("unused"), 250);
        Files.createDirectories(dir.resolve("sftp"));
        server = SftpServer.start(dir.resolve("sftp"), PASSWORD);
        Contracts.sftpDestination(contract, server, server.port(), "acme-sftp").put("connect_timeout", "5s");
        contract.putObject("retention").put("delivered", "7d");
        SteppedClock clock = new SteppedClock(Instant.now());
        t = TestEngine.open(dir.resolve("ws"), clock);
        t.vault.set("acme-sftp", PASSWORD, "sftp://127.0.0.1:" + server.port(), "test");
        t.importContract(contract.toString());
        List<RunRecord> runs = new ArrayList<>();
        runs.add(RunResultAssert.completed(t.run("items")).run());
        for (int i = 0; i < 2; i++) {
            db.exec("INSERT INTO items SELECT x, 1, TIMESTAMP WITH TIME ZONE '2024-03-02 12:00:00+00' + x * "
                    + "INTERVAL '1' SECOND FROM SYSTEM_RANGE(" + (251 + 50 * i) + ", " + (300 + 50 * i) + ")");
            runs.add(RunResultAssert.completed(t.run("items")).run());
        }
        Path contractDir = dir.resolve("sftp/inbound/items");
        Path run1Dir = contractDir.resolve("run-000001");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Files.writeString(run1Dir.resolve("README.partner"), "the partner's own");
        Files.createSymbolicLink(run1Dir.resolve("chunk-000099.jsonl.zst"), victim);

        clock.advance(Duration.ofDays(8));
        PruneService retention = new PruneService(t.ctx, t.contracts);
        PrunePlan plan = retention.plan(Optional.empty());
        assertThat(plan.runs()).extracting(r -> r.run().sequence()).containsExactly(1L, 2L);
        assertThat(plan.kept()).extracting(PrunePlan.Kept::sequence).containsExactly(3L);

        PruneService.Outcome done = retention.prune(Optional.empty());
        assertThat(done.runs()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            List<String> planned = plan.runs().get(i).files().stream().map(RunPrune.PrunedFile::name).toList();
            assertThat(done.runs().get(i).deleted()).as("dry run and prune: the same set")
                    .containsExactlyInAnyOrderElementsOf(planned);
        }
        assertThat(names(run1Dir)).containsExactlyInAnyOrder("README.partner", "chunk-000099.jsonl.zst");
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(contractDir.resolve("run-000002")).as("an emptied folder is removed").doesNotExist();
        assertThat(contractDir.resolve("run-000003/manifest.json")).exists();

        List<String> leaves = t.ctx.store().inTransaction(c -> t.ctx.store().ledger().all(c)).stream()
                .map(LedgerRepository.Entry::leaf).filter(PrunedLeaf::isPruned).toList();
        for (ChunkRecord ch : t.status.run(runs.get(1).id()).chunks()) {
            assertThat(leaves).anyMatch(l -> l.contains(" run=2 ") && l.contains(" file=" + ch.fileName() + " sha256="
                    + ch.sha256()));
        }
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
        String verifierKey = Files.readString(dir.resolve("ws/ledger/verifier.key")).trim();
        PartnerVerifier.Result partner = new PartnerVerifier(verifierKey, false).verify(contractDir, null);
        assertThat(partner.items()).filteredOn(i -> !i.ok()).isEmpty();
        assertThat(partner.ok()).isTrue();
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }
}
