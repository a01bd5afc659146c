package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correction lineage in the run detail, without the toolkit. A real export, two orders changed in
 * place, a deep verification and a correction: the correction run's chunk says which chunk it
 * corrects with its keys by kind, and the corrected chunk names its correction and that its
 * differing keys were carried by it. A synthetic correction run of 100,000 chunks loads with the
 * link on every row (read per page, never per row).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunDetailCorrectionsTest {
    private static final Logger LOG = LoggerFactory.getLogger(RunDetailCorrectionsTest.class);
    static final int CHUNKS = 100_000;
    static final String BIG = "00000000-0000-0000-0000-000000000300";
    static final String BIG_ORIGINAL = "00000000-0000-0000-0000-000000000301";
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static RunRecord exported;
    static RunRecord correction;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        GuardedEngine admin = fixture.engine(fixture.admin);
        exported = admin.run("orders-to-acme", ProgressListener.NONE).run();
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE orders SET note = 'changed after export' WHERE id IN (SELECT id FROM "
                    + "orders ORDER BY updated_at, id OFFSET 10 ROWS FETCH FIRST 2 ROWS ONLY)")).isEqualTo(2);
        }
        assertThat(admin.verification().deepVerify(exported.id()).get(0).ok()).isFalse();
        correction = admin.correct(exported.id(), ProgressListener.NONE, () -> false).orElseThrow().run();
        assertThat(correction.state()).isEqualTo(RunState.COMPLETED);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private RunDetailViewModel model(String runId) {
        var auditor = fixture.user("audrey", Role.AUDITOR);
        ConsoleContext ctx = fixture.context(auditor, new DirectTaskRunner(), new RecordingDialogs(), Runnable::run);
        return new RunDetailViewModel(ctx, runId);
    }

    @Test
    void aCorrectionChunkSaysWhatItCorrects() {
        RunDetailViewModel vm = model(correction.id());
        vm.activate();
        assertThat(vm.correctionRunProperty().get()).isTrue();
        assertThat(vm.allChunks()).hasSize(1);
        ChunkRow chunk = vm.allChunks().get(0);
        CorrectionRepository.Correction corrects = chunk.corrects().correction();
        assertThat(corrects.correctsRunId()).isEqualTo(exported.id());
        String file = String.format("chunk-%06d", corrects.correctsChunkSeq());
        assertThat(chunk.correctsText()).startsWith("run #1 chunk " + corrects.correctsChunkSeq() + " (" + file)
                .endsWith(" · 2 keys (2 changed)");
        vm.select(chunk);
        assertThat(vm.detailProperty().get()).contains("\nCorrects run #1 chunk " + corrects.correctsChunkSeq()
                + " (" + file).contains("· 2 keys (2 changed)");
        vm.searchProperty().set("run #1 chunk");
        assertThat(vm.chunks()).hasSize(1);
        vm.deactivate();
    }

    @Test
    void aCorrectedChunkNamesItsCorrectionAndThatItCarriedItsKeys() {
        RunDetailViewModel vm = model(exported.id());
        vm.activate();
        assertThat(vm.correctionRunProperty().get()).as("an ordinary run").isFalse();
        assertThat(vm.allChunks()).allMatch(c -> c.corrects() == null);
        ChunkRow differing = vm.allChunks().stream().filter(ChunkRow::mismatch).findFirst().orElseThrow();
        vm.select(differing);
        assertThat(vm.correctedBy()).extracting(CorrectionRepository.CorrectedBy::runId).containsExactly(correction.id());
        assertThat(vm.detailProperty().get()).contains("\nCorrected by run #2 chunk 1 (COMPLETED)")
                .contains("Reconciliation: changed since export · 2 changed")
                .contains("its differing keys were carried by correction run #2 chunk 1 (COMPLETED)");

        ChunkRow other = vm.allChunks().stream().filter(c -> c.seq() != differing.seq()).findFirst().orElseThrow();
        vm.select(other);
        assertThat(vm.correctedBy()).isEmpty();
        assertThat(vm.detailProperty().get()).doesNotContain("Corrected by").doesNotContain("carried by correction");
        vm.deactivate();
    }

    /** The auditor's report carries the link both ways, in JSON and CSV. */
    @Test
    void theReportListsTheLinkInBothDirections() throws Exception {
        GuardedEngine admin = fixture.engine(fixture.admin);
        Path json = admin.ledger().writeRunReport(exported.id(), "json", dir.resolve("exported.json"));
        JsonNode chunks = new ObjectMapper().readTree(json.toFile()).path("chunks");
        JsonNode corrected = null;
        for (JsonNode chunk : chunks) {
            if (chunk.path("corrected_by").size() > 0) {
                corrected = chunk;
            }
            assertThat(chunk.path("corrects").isNull()).isTrue();
        }
        assertThat(corrected).as("a chunk of run #1 names its correction").isNotNull();
        assertThat(corrected.path("corrected_by").get(0).path("run").asLong()).isEqualTo(2);
        assertThat(corrected.path("corrected_by").get(0).path("run_id").asText()).isEqualTo(correction.id());
        assertThat(corrected.path("corrected_by").get(0).path("chunk").asInt()).isEqualTo(1);
        assertThat(corrected.path("corrected_by").get(0).path("state").asText()).isEqualTo("COMPLETED");

        Path correctionJson = admin.ledger().writeRunReport(correction.id(), "json", dir.resolve("correction.json"));
        JsonNode corrects = new ObjectMapper().readTree(correctionJson.toFile()).path("chunks").get(0).path("corrects");
        assertThat(corrects.path("run").asLong()).isEqualTo(1);
        assertThat(corrects.path("run_id").asText()).isEqualTo(exported.id());
        assertThat(corrects.path("file").asText()).isEqualTo(corrected.path("file").asText());

        String csv = Files.readString(admin.ledger().writeRunReport(exported.id(), "csv", dir.resolve("exported.csv")));
        assertThat(csv.split("\r\n")[0]).endsWith(",corrects,corrected_by");
        assertThat(csv).contains(",run #2 chunk 1 (COMPLETED)\r\n");
        String correctionCsv = Files.readString(admin.ledger().writeRunReport(correction.id(), "csv",
                dir.resolve("correction.csv")));
        assertThat(correctionCsv).contains(",run #1 chunk " + corrects.path("chunk").asInt() + " ("
                + corrects.path("file").asText() + "),\r\n");

        Path pdf = admin.ledger().writeRunReport(exported.id(), "pdf", dir.resolve("exported.pdf"));
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(new PDFTextStripper().getText(doc)).contains("Corrections (first 40)")
                    .contains(corrected.path("file").asText() + "  corrected by run #2 chunk 1 (COMPLETED)");
        }
    }

    @Test
    void aCorrectionRunOfAHundredThousandChunksLoadsWithItsLinks() throws Exception {
        Instant now = Instant.now();
        fixture.workspace.store().update(c -> {
            // a correction of a (chunk-less) run of its own, so the other tests' runs keep their lineage
            fixture.workspace.store().runs().insert(c, new RunRecord(BIG_ORIGINAL, "orders-to-acme", 1, 98,
                    RunMode.INCREMENTAL, RunState.COMPLETED, now, now, null, null, null, null, 0, 0, 0, 1, null,
                            null, null,
                    now));
            fixture.workspace.store().runs().insert(c, new RunRecord(BIG, "orders-to-acme", 1, 99, RunMode.CORRECTION,
                    RunState.COMPLETED, now, now, null, null, null, null, 0, 0, 0, 1, null, null, null, now));
            RunDetailViewModelTest.insertChunks(c, BIG, 1, CHUNKS, now);
            long pass = fixture.workspace.store().reconciliations().passesForRun(c, exported.id()).stream()
                    .filter(p -> p.level().equals("deep")).findFirst().orElseThrow().id();
            try (PreparedStatement x = c.prepareStatement("INSERT INTO chunk_corrections VALUES (?, ?, ?, 98, ?, ?, ?)");
                 PreparedStatement k = c.prepareStatement("INSERT INTO correction_keys VALUES (?, ?, 0, ?, ?)")) {
                for (int seq = 1; seq <= CHUNKS; seq++) {
                    x.setString(1, BIG);
                    x.setInt(2, seq);
                    x.setString(3, BIG_ORIGINAL);
                    x.setInt(4, seq);
                    x.setString(5, String.format("chunk-%06d.jsonl.zst", seq));
                    x.setLong(6, pass);
                    x.addBatch();
                    k.setString(1, BIG);
                    k.setInt(2, seq);
                    k.setString(3, "[" + seq + "]");
                    k.setString(4, seq % 2 == 0 ? "CHANGED" : "MISSING");
                    k.addBatch();
                    if (seq % 5000 == 0) {
                        x.executeBatch();
                        k.executeBatch();
                    }
                }
            }
        });
        RunDetailViewModel vm = model(BIG);
        long started = System.nanoTime();
        vm.activate();
        LOG.info("correction run with {} chunks: first page after {} ms, all loaded after {} ms", CHUNKS,
                vm.firstPageMillis(), (System.nanoTime() - started) / 1_000_000);
        assertThat(vm.allChunks()).hasSize(CHUNKS).allMatch(c -> c.corrects() != null
                && c.corrects().correction().correctsChunkSeq() == c.seq() && c.corrects().keys() == 1);
        assertThat(vm.allChunks().get(CHUNKS - 1).correctsText())
                .isEqualTo("run #98 chunk 100000 (chunk-100000.jsonl.zst) · 1 key (1 changed)");
        assertThat(vm.allChunks().get(CHUNKS - 2).correctsText()).endsWith("· 1 key (1 missing)");
        vm.deactivate();
    }
}
