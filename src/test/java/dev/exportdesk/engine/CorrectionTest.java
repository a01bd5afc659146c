package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.RowDiff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correction runs against real H2 and PostgreSQL sources. After the export, rows change where no
 * increment will look (in place, same cursor; a hard delete; a late insert behind the cursor) and
 * one row moves past the checkpoint (the next increment's). `correct` must ship exactly the first
 * three — re-read now, the delete as `_op: delete` — through the normal path (next sequence,
 * chained manifest with `corrects` links, ledger, SHA256SUMS), after which a partner replaying
 * every run holds what the source holds, the partner verifier passes, and deep verification
 * classes the findings as carried by the correction.
 */
class CorrectionTest {
    private static final String C = ItemsExport.CONTRACT;

    @TempDir
    Path dir;

    private SourceDb db;

    private TestEngine drifted(String kind, String format) throws Exception {
        db = SourceDb.of(kind, dir);
        TestEngine t = ItemsExport.exported(db, dir, format);
        db.exec("UPDATE items SET name = 'changed in place' WHERE id = 14",                // chunk 1, same cursor
                "DELETE FROM items WHERE id = 500",                                        // chunk 1, hard delete
                "INSERT INTO items VALUES (1001, 'late', 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:10+00')",
                "UPDATE items SET version = 2, updated_at = TIMESTAMP WITH TIME ZONE '2024-03-05 00:00:00+00' "
                        + "WHERE id = 1000");                                              // the next run's
        assertThat(t.verify.verify(C, true).get(0).ok()).isFalse();
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2:jsonl", "postgresql:jsonl", "h2:csv"})
    void findingsNoRunCarriesShipAsCorrectionChunksLinkedToTheirChunk(String variant) throws Exception {
        String[] v = variant.split(":");
        try (TestEngine t = drifted(v[0], v[1])) {
            RunRecord first = t.workspace.store().inTransaction(c -> t.workspace.store().runs().latest(c, C)).get();
            Checkpoint before = checkpoint(t);

            RunResult result = t.engine.correct(C, ProgressListener.NONE).orElseThrow();
            RunRecord run = result.run();
            assertThat(run.state()).as(run.error()).isEqualTo(RunState.COMPLETED);
            assertThat(run.sequence()).isEqualTo(2);
            assertThat(run.mode()).isEqualTo(RunMode.CORRECTION);
            assertThat(run.rowCount()).as("[14], [500], [1001]; not [1000]").isEqualTo(3);

            Path folder = dir.resolve("drop/" + C + "/run-000002");
            Manifest m = ManifestCodec.read(Files.readAllBytes(folder.resolve("manifest.json")));
            assertThat(m.mode()).isEqualTo("correction");
            assertThat(m.previousManifestSha256()).isEqualTo(first.manifestSha256());
            assertThat(m.chunks()).extracting(ChunkEntry::corrects).containsExactly(
                    new ChunkEntry.Corrects(first.id(), 1, "chunk-000001." + v[1] + ".zst"),
                    new ChunkEntry.Corrects(first.id(), 1, "chunk-000002." + v[1] + ".zst"));
            assertThat(m.chunks()).extracting(ChunkEntry::rows, ChunkEntry::deletes)
                    .containsExactly(tuple(2L, 1L), tuple(1L, 0L));
            String corrected = new String(Codecs.decompress(Files.newInputStream(folder.resolve(m.chunks().get(0).file())),
                    Compression.ZSTD).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(corrected).contains("changed in place").containsPattern(v[1].equals("jsonl")
                    ? "(?i)\\{\"id\":500,\"name\":null,\"version\":null,\"updated_at\":null,\"_op\":\"delete\"}\n"
                    : "\n500,,,,delete\r\n");
            assertThat(folder.resolve("SHA256SUMS")).exists();
            assertThat(folder.resolve("checkpoint.txt")).exists();

            Checkpoint after = checkpoint(t);
            assertThat(after.lastSequence()).isEqualTo(2);
            assertThat(after.lastManifestSha256()).isEqualTo(run.manifestSha256());
            assertThat(after.cursorValue()).as("a correction does not move the cursor").isEqualTo(before.cursorValue());
            assertThat(after.upperBound()).isEqualTo(before.upperBound());

            String key = Files.readString(dir.resolve("ws/ledger/verifier.key")).trim();
            PartnerVerifier.Result partner = new PartnerVerifier(key, false).verify(dir.resolve("drop/" + C),
                    dir.resolve("partner-state.json"));
            assertThat(partner.ok()).as(partner.items().toString()).isTrue();
            assertThat(partner.items()).anySatisfy(i -> assertThat(i.subject() + " " + i.detail())
                    .contains("(corrects)").contains("run 1"));

            // findings are now carried by the correction; [1000] by the next increment; the correction matches
            List<VerifyService.DeepOutcome> again = t.verify.verify(C, true);
            assertThat(again).allSatisfy(o -> assertThat(o.ok()).as(o.deep().toString()).isTrue());
            assertThat(again.get(0).deep().chunks().stream().flatMap(c -> c.result().diffs().stream()))
                    .extracting(RowDiff::key, RowDiff::carriedBy).containsExactlyInAnyOrder(
                            tuple("[14]", "run #2"), tuple("[500]", "run #2"), tuple("[1001]", "run #2"),
                            tuple("[1000]", "the next increment"));
            assertThat(t.engine.correct(C, ProgressListener.NONE)).as("nothing left to correct").isEmpty();

            RunResultAssert.completed(t.run(C));
            if (v[1].equals("jsonl")) {
                assertThat(replayedNames()).isEqualTo(ItemsExport.names(db));
            }
        }
    }

    @Test
    void aFailedCorrectionResumesWithTheSealedBytesAndCanItselfBeCorrected() throws Exception {
        try (TestEngine t = drifted("h2", "jsonl")) {
            Path blocked = dir.resolve("drop/" + C + "/run-000002");
            Files.writeString(blocked, "not a folder"); // the destination cannot create the run folder
            RunRecord failed = t.engine.correct(C, ProgressListener.NONE).orElseThrow().run();
            assertThat(failed.state()).isEqualTo(RunState.FAILED);
            assertThatThrownBy(() -> t.engine.correct(C, ProgressListener.NONE)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("unfinished run #2").hasMessageContaining("resume");
            String sealed = t.workspace.store().inTransaction(c -> t.workspace.store().chunks().forRun(c, failed.id()))
                    .get(0).sha256();

            // the row changes again before the resume: the sealed chunk must still go out as sealed
            db.exec("UPDATE items SET name = 'changed twice' WHERE id = 14");
            Files.delete(blocked);
            RunResultAssert.completed(t.engine.resume(failed.id(), ProgressListener.NONE));
            Manifest m = ManifestCodec.read(Files.readAllBytes(blocked.resolve("manifest.json")));
            assertThat(m.chunks().get(0).sha256()).isEqualTo(sealed);
            // the correction run's own log: both attempts, the failure and the correction chunk
            assertThat(new RunLogs(t.ctx).read(failed.id())).hasValueSatisfying(log -> assertThat(log)
                    .contains("attempt 1 of run " + failed.id() + " (" + C + " #2, correction, ")
                    .contains("correction chunk 1 of " + C + " run 2 sealed").contains("attempt 1 ended: FAILED")
                    .contains("resuming from FAILED").contains("attempt 2 ended: COMPLETED"));

            // the correction's own chunk now differs from the source where no increment looks: correct it
            VerifyService.DeepOutcome second = t.verify.verify(failed.id(), true).get(0);
            assertThat(second.ok()).isFalse();
            RunRecord third = t.engine.correct(failed.id(), ProgressListener.NONE).orElseThrow().run();
            assertThat(third.state()).isEqualTo(RunState.COMPLETED);
            Manifest m3 = ManifestCodec.read(Files.readAllBytes(dir.resolve("drop/" + C + "/run-000003/manifest.json")));
            assertThat(m3.chunks()).extracting(ChunkEntry::corrects)
                    .containsExactly(new ChunkEntry.Corrects(failed.id(), 2, "chunk-000001.jsonl.zst"));
            assertThat(replayedNames()).isEqualTo(ItemsExport.names(db));
        }
    }

    @Test
    void correctingNeedsADeepVerificationFirst() throws Exception {
        db = SourceDb.h2(dir);
        try (TestEngine t = ItemsExport.exported(db, dir, "jsonl")) {
            assertThatThrownBy(() -> t.engine.correct(C, ProgressListener.NONE)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("no deep verification").hasMessageContaining("verify " + C + " --deep");
            t.verify.verify(C, true);
            assertThat(t.engine.correct(C, ProgressListener.NONE)).as("clean: nothing to correct").isEqualTo(
                    Optional.empty());
        }
    }

    private Checkpoint checkpoint(TestEngine t) {
        return t.workspace.store().inTransaction(c -> t.workspace.store().checkpoints().get(c, C));
    }

    private Map<String, String> replayedNames() throws Exception {
        Map<String, String> out = new HashMap<>();
        Replay.of(dir.resolve("drop/" + C), "id").table.forEach((k, row) -> out.put(k, row.path(
                row.has("name") ? "name" : "NAME").asText()));
        return out;
    }
}
