package dev.exportdesk.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.RunResultAssert;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.ledger.PrunedLeaf;
import dev.exportdesk.partner.Item;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.LedgerRepository;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.testing.SequentialItems;
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
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention at a folder destination whose contract expects receipts: only accepted runs go, never the
 * newest; what a dry run lists is what the prune removes; a partner's files and a planted link stay;
 * the ledger records every pruned file's hash and still verifies; the partner's verifier still
 * passes, also on a run delivered after the prune.
 */
class RetentionFolderTest {
    @TempDir
    Path dir;
    TestEngine t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void prunesOnlyAcceptedOldRunsByNameAndTheLedgerAndPartnerStillVerify() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("drop"), 250);
        ((ObjectNode) contract.get("destination")).put("ack_deadline", "1h");
        contract.putObject("retention").put("delivered", "30d").put("retained_copies", "1d").put("staging", "1d");
        SteppedClock clock = new SteppedClock(Instant.now());
        t = TestEngine.open(dir.resolve("ws"), clock);
        t.importContract(contract.toString());
        RunRecord run1 = RunResultAssert.completed(t.run("items")).run();
        insert(db, 251, 300);
        RunRecord run2 = RunResultAssert.completed(t.run("items")).run();
        insert(db, 301, 350);
        RunRecord run3 = RunResultAssert.completed(t.run("items")).run();
        Path contractDir = dir.resolve("drop/items");
        String verifierKey = Files.readString(dir.resolve("ws/ledger/verifier.key")).trim();
        Path partnerState = dir.resolve("partner-state.json");

        // the partner accepts run 1 only
        assertThat(new PartnerVerifier(verifierKey, true).verify(contractDir.resolve("run-000001"), partnerState).ok())
                .isTrue();
        assertThat(t.acks.poll(run1.id()).state()).isEqualTo(AckState.ACKNOWLEDGED);
        assertThat(t.acks.poll(run2.id()).state()).isEqualTo(AckState.WAITING);

        // hostile and foreign things in the folder to be pruned
        Path run1Dir = contractDir.resolve("run-000001");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "not the engine's");
        Files.writeString(run1Dir.resolve("partner-notes.txt"), "ours, not the sender's");
        Files.createSymbolicLink(run1Dir.resolve("outside-link"), victim);
        List<ChunkRecord> chunks1 = t.status.run(run1.id()).chunks();
        String hijacked = chunks1.get(2).fileName();
        Files.delete(run1Dir.resolve(hijacked));
        Files.createSymbolicLink(run1Dir.resolve(hijacked), victim);
        // a staging folder a completed run left behind, and one no run of this store owns
        Path leftover = Files.createDirectories(t.ctx.stagingDir().resolve(run1.id()));
        Files.writeString(leftover.resolve("chunk-000009.jsonl.zst"), "left");
        Path foreignStaging = Files.createDirectories(t.ctx.stagingDir().resolve(UUID.randomUUID().toString()));
        List<String> run2Files = names(contractDir.resolve("run-000002"));

        clock.advance(Duration.ofDays(40));
        PruneService retention = new PruneService(t.ctx, t.contracts);
        PrunePlan plan = retention.plan(Optional.of("items"));
        assertThat(plan.runs()).extracting(r -> r.run().id()).containsExactly(run1.id());
        assertThat(plan.kept()).extracting(PrunePlan.Kept::runId).containsExactly(run2.id(), run3.id());
        assertThat(plan.kept().get(0).reason()).contains("receipt");
        assertThat(plan.kept().get(1).reason()).contains("newest");
        assertThat(plan.local()).extracting(PrunePlan.LocalFolder::folder).containsExactly(leftover);
        assertThat(Files.exists(t.ctx.stagingDir().resolveSibling("retained").resolve(run2.id())))
                .as("run 2's copies wait for its receipt").isTrue();
        List<String> planned = plan.runs().get(0).files().stream().map(RunPrune.PrunedFile::name).toList();
        assertThat(planned.get(0)).as("the manifest goes first").isEqualTo("manifest.json");
        assertThat(planned).contains("SHA256SUMS", "checkpoint.txt", "ledger-proofs.json")
                .containsAll(chunks1.stream().map(ChunkRecord::fileName).toList())
                .doesNotContain("partner-notes.txt", "outside-link", "manifest.json.ack");

        PruneService.Outcome done = retention.prune(Optional.of("items"));
        assertThat(done.runs()).singleElement().satisfies(r -> {
            List<String> touched = new ArrayList<>(r.deleted());
            touched.addAll(r.absent());
            assertThat(touched).as("dry run and prune: the same set").containsExactlyInAnyOrderElementsOf(planned);
            assertThat(r.absent()).as("a link at an engine name is not deleted through").containsExactly(hijacked);
            assertThat(r.othersLeft()).isEqualTo(2);
        });
        assertThat(done.local()).isEqualTo(plan.local());
        assertThat(names(run1Dir)).containsExactlyInAnyOrder("manifest.json.ack", "partner-notes.txt", "outside-link",
                hijacked);
        assertThat(Files.isSymbolicLink(run1Dir.resolve("outside-link"))).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("not the engine's");
        assertThat(names(contractDir.resolve("run-000002"))).isEqualTo(run2Files);
        assertThat(contractDir.resolve("run-000003/manifest.json")).exists();
        assertThat(leftover).doesNotExist();
        assertThat(foreignStaging).exists();
        assertThat(t.ctx.stagingDir().resolveSibling("retained").resolve(run2.id())).exists();

        // recorded: ledger leaves with every chunk's sealed hash, the audit log, the store
        List<String> leaves = t.ctx.store().inTransaction(c -> t.ctx.store().ledger().forRun(c, run1.id())).stream()
                .map(LedgerRepository.Entry::leaf).filter(PrunedLeaf::isPruned).toList();
        assertThat(leaves).hasSize(planned.size());
        for (ChunkRecord ch : chunks1) {
            assertThat(leaves).anyMatch(l -> l.contains(" file=" + ch.fileName() + " sha256=" + ch.sha256()
                    + " hashed_from=store"));
        }
        assertThat(leaves).anyMatch(l -> l.contains(" file=manifest.json sha256=" + run1.manifestSha256()));
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
        assertThat(t.status.audit(20)).extracting(AuditEntry::action).contains("run.prune", "retention.local");
        assertThat(t.status.pruned(List.of(run1.id(), run2.id(), run3.id()))).containsExactly(run1.id());

        // a pruned run is refused in words; a contract's verification passes over it
        assertThatThrownBy(() -> t.verify.verify(run1.id())).isInstanceOf(EngineException.class)
                .hasMessageContaining("retention pruned it").hasMessageContaining("run-000001");
        assertThatThrownBy(() -> t.acks.poll(run1.id())).isInstanceOf(EngineException.class)
                .hasMessageContaining("retention pruned it");

        // the partner: a verifier that saw run 1, and a fresh one, both accept the folder without it
        PartnerVerifier.Result seen = new PartnerVerifier(verifierKey, true).verify(contractDir, partnerState);
        assertThat(seen.items()).filteredOn(i -> !i.ok()).isEmpty();
        assertThat(seen.items()).filteredOn(i -> i.subject().equals("manifest chain")).first()
                .extracting(Item::detail).asString().contains("follows run 1");
        PartnerVerifier.Result fresh = new PartnerVerifier(verifierKey, false).verify(contractDir, null);
        assertThat(fresh.ok()).isTrue();
        assertThat(fresh.items()).filteredOn(i -> i.subject().equals("manifest chain")).first()
                .extracting(Item::detail).asString().contains("first run seen by this verifier").contains("retention");

        // run 2 is accepted now: the next prune takes it (and its copies), still never run 3
        assertThat(t.acks.poll(run2.id()).state()).isEqualTo(AckState.ACKNOWLEDGED);
        PruneService.Outcome second = retention.prune(Optional.empty());
        assertThat(second.runs()).extracting(r -> r.run().id()).containsExactly(run2.id());
        assertThat(contractDir.resolve("run-000002/manifest.json")).doesNotExist();
        assertThat(contractDir.resolve("run-000003/manifest.json")).exists();
        assertThat(retention.prune(Optional.empty()).runs()).as("nothing twice").isEmpty();

        // a run after the prunes: its checkpoint covers the pruned leaves and is consistent with the last one seen
        insert(db, 351, 360);
        RunResultAssert.completed(t.run("items"));
        PartnerVerifier.Result after = new PartnerVerifier(verifierKey, true).verify(contractDir, partnerState);
        assertThat(after.items()).filteredOn(i -> !i.ok()).isEmpty();
        assertThat(after.items()).extracting(Item::subject).contains("ledger consistency");
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
    }

    /** A prune that recorded its files and died after deleting one is finished from its record, not planned again. */
    @Test
    void aPruneCutShortIsFinishedFromItsRecord() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("drop"), 150);
        contract.putObject("retention").put("delivered", "1d");
        SteppedClock clock = new SteppedClock(Instant.now());
        t = TestEngine.open(dir.resolve("ws"), clock);
        t.importContract(contract.toString());
        RunRecord run1 = RunResultAssert.completed(t.run("items")).run();
        insert(db, 151, 160);
        RunResultAssert.completed(t.run("items"));
        clock.advance(Duration.ofDays(2));
        PruneService retention = new PruneService(t.ctx, t.contracts);
        PrunePlan.DeliveredRun planned = retention.plan(Optional.empty()).runs().get(0);
        // what the prune's first transaction leaves, then the first delete, then the process dies
        t.ctx.store().updateDurably(c -> {
            t.ctx.store().prunes().insert(c, new RunPrune(run1.id(), "items", dev.exportdesk.store.PruneState.PRUNING,
                    planned.runDirectory(), planned.files(), "test", clock.instant(), null));
            new dev.exportdesk.engine.ledger.LedgerService(t.ctx).appendPruned(c, run1, planned.files());
        });
        new dev.exportdesk.engine.ledger.LedgerService(t.ctx).syncFile();
        Path run1Dir = dir.resolve("drop/items/run-000001");
        Files.delete(run1Dir.resolve("manifest.json"));

        PruneService.Outcome done = retention.prune(Optional.empty());
        assertThat(done.runs()).singleElement().satisfies(r -> {
            assertThat(r.run().id()).isEqualTo(run1.id());
            assertThat(r.absent()).containsExactly("manifest.json");
            assertThat(r.deleted()).hasSize(planned.files().size() - 1);
        });
        assertThat(run1Dir).doesNotExist();
        assertThat(t.status.prune(run1.id())).hasValueSatisfying(p ->
                assertThat(p.state()).isEqualTo(dev.exportdesk.store.PruneState.PRUNED));
        long leaves = t.ctx.store().inTransaction(c -> t.ctx.store().ledger().forRun(c, run1.id())).stream()
                .filter(e -> PrunedLeaf.isPruned(e.leaf())).count();
        assertThat(leaves).as("recorded once").isEqualTo(planned.files().size());
        assertThat(new LedgerAudit(t.ctx).audit()).allMatch(Check::ok);
    }

    private static void insert(SourceDb db, int from, int to) throws Exception {
        db.exec("INSERT INTO items SELECT x, 1, TIMESTAMP WITH TIME ZONE '2024-03-02 12:00:00+00' + x * INTERVAL '1' "
                + "SECOND FROM SYSTEM_RANGE(" + from + ", " + to + ")");
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }

}
