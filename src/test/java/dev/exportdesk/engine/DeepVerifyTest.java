package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlChunkDigests;
import dev.exportdesk.source.SqlRangeDigest;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ReconciliationRepository;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.ChunkClass;
import dev.exportdesk.verify.RowDiff;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `verify --deep` against real H2 and PostgreSQL sources: after the export the source is changed
 * (an in-place update, an update that moves the cursor, a hard delete, a late insert) and the
 * reconciliation must name exactly those keys with the right class; with nothing changed every
 * chunk must match. Every pass is kept as drift history.
 */
class DeepVerifyTest {
    @TempDir
    Path dir;

    private SourceDb db;

    private TestEngine setUp(String kind, String format) throws Exception {
        db = SourceDb.of(kind, dir);
        return ItemsExport.exported(db, dir, format);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anUnchangedSourceMatchesEveryChunk(String kind) throws Exception {
        try (TestEngine t = setUp(kind, "jsonl")) {
            List<VerifyService.DeepOutcome> out = t.verify.verify("items-to-acme", true);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).deep().schemaOutcome()).isEqualTo("match");
            assertThat(out.get(0).deep().chunks()).hasSizeGreaterThan(3)
                    .allSatisfy(c -> assertThat(c.result().classification()).isEqualTo(ChunkClass.MATCH))
                    // the whole-range digest matched at once: no bisection (on PostgreSQL, the one-pass chunk digests)
                    .allSatisfy(c -> assertThat(c.result().detail()).matches("\\d+ rows, digest [0-9a-f]{32}"));
            assertThat(out.get(0).ok()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2:jsonl", "postgresql:jsonl", "h2:csv", "postgresql:csv"})
    void updatesDeletesAndLateRowsAreReportedWithTheirExactKeys(String variant) throws Exception {
        String[] v = variant.split(":");
        try (TestEngine t = setUp(v[0], v[1])) {
            db.exec("UPDATE items SET name = 'changed in place' WHERE id = 14",           // same cursor, new content
                    "UPDATE items SET version = 2, updated_at = TIMESTAMP WITH TIME ZONE '2024-03-05 00:00:00+00' "
                            + "WHERE id = 1000",                                          // moved past the run
                    "DELETE FROM items WHERE id IN (500, 1500)",                          // hard deletes
                    "INSERT INTO items VALUES (1001, 'late', 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:10+00')");

            VerifyService.DeepOutcome out = t.verify.verify("items-to-acme", true).get(0);
            assertThat(out.report().ok()).as("delivery level is unaffected").isTrue();
            assertThat(out.ok()).isFalse();
            List<RowDiff> diffs = out.deep().chunks().stream().flatMap(c -> c.result().diffs().stream()).toList();
            assertThat(diffs).extracting(RowDiff::key, RowDiff::kind).containsExactlyInAnyOrder(
                    tuple("[14]", RowDiff.Kind.CHANGED), tuple("[1000]", RowDiff.Kind.CHANGED),
                    tuple("[500]", RowDiff.Kind.MISSING), tuple("[1500]", RowDiff.Kind.MISSING),
                    tuple("[1001]", RowDiff.Kind.EXTRA));
            // [1000] moved past the checkpoint: the next increment carries it, so its chunk is classed by [1001]
            assertThat(diffs).filteredOn(d -> !d.open()).extracting(RowDiff::key, RowDiff::carriedBy)
                    .containsExactly(tuple("[1000]", "the next increment"));
            assertThat(out.deep().chunks()).extracting(c -> c.result().classification())
                    .contains(ChunkClass.MATCH, ChunkClass.LATE_ARRIVALS, ChunkClass.MISSING_AT_SOURCE);

            // kept as history: the pass, the classified chunks and the keys
            ReconciliationRepository repo = t.workspace.store().reconciliations();
            List<ReconciliationRepository.Pass> passes = t.workspace.store().inTransaction(c ->
                    repo.passes(c, "items-to-acme", null, null));
            assertThat(passes).hasSize(1);
            assertThat(passes.get(0).rowsChanged()).isEqualTo(2);
            assertThat(passes.get(0).rowsMissing()).isEqualTo(2);
            assertThat(passes.get(0).rowsExtra()).isEqualTo(1);
            List<ReconciliationRepository.DriftRow> rows = t.workspace.store().inTransaction(c ->
                    repo.driftRows(c, passes.get(0).id()));
            assertThat(rows).extracting(ReconciliationRepository.DriftRow::rowKey)
                    .containsExactlyInAnyOrder("[14]", "[1000]", "[500]", "[1500]", "[1001]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void driftALaterRunCarriedPassesAndOnlyUncarriedRowsFail(String kind) throws Exception {
        try (TestEngine t = setUp(kind, "jsonl")) {
            db.exec("UPDATE items SET version = 2, updated_at = TIMESTAMP WITH TIME ZONE '2024-03-05 00:00:00+00' "
                    + "WHERE id = 1000");
            RunResultAssert.completed(t.run("items-to-acme"));                          // run #2 carries [1000]
            db.exec("UPDATE items SET version = 3, updated_at = TIMESTAMP WITH TIME ZONE '2024-03-06 00:00:00+00' "
                    + "WHERE id = 1200");                                               // the next run will

            List<VerifyService.DeepOutcome> out = t.verify.verify("items-to-acme", true);
            assertThat(out).hasSize(2);
            assertThat(out).allSatisfy(o -> assertThat(o.ok()).as(o.run().sequence() + ": " + o.deep()).isTrue());
            List<RowDiff> first = diffs(out.get(0));
            assertThat(first).extracting(RowDiff::key, RowDiff::kind, RowDiff::carriedBy).containsExactlyInAnyOrder(
                    tuple("[1000]", RowDiff.Kind.CHANGED, "run #2"),
                    tuple("[1200]", RowDiff.Kind.CHANGED, "the next increment"));
            assertThat(out.get(0).deep().chunks()).extracting(c -> c.result().classification())
                    .containsOnly(ChunkClass.MATCH, ChunkClass.CARRIED).contains(ChunkClass.CARRIED);
            long pass = out.get(0).deep().verificationId();
            List<ReconciliationRepository.DriftRow> kept = t.workspace.store().inTransaction(c ->
                    t.workspace.store().reconciliations().driftRows(c, pass));
            assertThat(kept).extracting(ReconciliationRepository.DriftRow::rowKey, ReconciliationRepository.DriftRow::carriedBy)
                    .containsExactlyInAnyOrder(tuple("[1000]", "run #2"), tuple("[1200]", "the next increment"));

            // an in-place change outside the lookback is carried by no run: a real finding, next to carried ones
            db.exec("UPDATE items SET name = 'changed in place' WHERE id = 14");
            VerifyService.DeepOutcome again = t.verify.verify("items-to-acme", true).get(0);
            assertThat(again.ok()).isFalse();
            assertThat(diffs(again)).filteredOn(RowDiff::open).extracting(RowDiff::key).containsExactly("[14]");
            assertThat(again.deep().chunks()).extracting(c -> c.result().classification())
                    .contains(ChunkClass.DRIFT, ChunkClass.CARRIED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsThatAppearedInTheGapsBetweenChunksAreLateArrivals(String kind) throws Exception {
        try (TestEngine t = setUp(kind, "jsonl")) {
            // chunk 1 ends at (12:00:06, 600) and chunk 2 starts at (12:00:06, 602); chunk 1 starts at (12:00, 2)
            db.exec("INSERT INTO items VALUES (601, 'in the gap', 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:06+00')",
                    "INSERT INTO items VALUES (1, 'before the first', 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00')");
            VerifyService.DeepOutcome out = t.verify.verify("items-to-acme", true).get(0);
            assertThat(out.ok()).isFalse();
            assertThat(out.deep().chunks()).extracting(c -> c.chunk().seq(), c -> c.result().classification(),
                    c -> c.result().diffs().stream().map(RowDiff::key).toList()).containsExactly(
                    tuple(1, ChunkClass.LATE_ARRIVALS, List.of("[1]")),
                    tuple(2, ChunkClass.LATE_ARRIVALS, List.of("[601]")),
                    tuple(3, ChunkClass.MATCH, List.of()), tuple(4, ChunkClass.MATCH, List.of()));
            assertThat(out.deep().chunks().get(1).result().detail()).contains("1 row(s) now in the gap before");
        }
    }

    @Test
    void onePassChunkDigestsInPostgresEqualTheSealedOnesIgnoreGapsAndLeaveOutWhatNeedsTheEncoder() throws Exception {
        try (TestEngine t = setUp("postgresql", "jsonl")) {
            db.exec("INSERT INTO items VALUES (601, 'in the gap', 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:06+00')",
                    "UPDATE items SET name = 'bell ' || chr(7) WHERE id = 1300");      // chunk 3: Jackson escapes differ
            String runId = t.workspace.store().inTransaction(c -> t.workspace.store().runs().latest(c, "items-to-acme"))
                    .get().id();
            List<ChunkRecord> chunks = t.workspace.store().inTransaction(c -> t.workspace.store().chunks().forRun(c, runId));
            List<SqlChunkDigests.Range> ranges = chunks.stream().map(ch -> new SqlChunkDigests.Range(ch.seq(),
                    CursorCodec.decode(ch.cursorFrom()), CursorCodec.decode(ch.cursorTo()))).toList();
            Map<Integer, SqlRangeDigest.Digest> digests;
            try (Connection c = db.connect()) {
                SourceSchema schema = new SchemaInspector().inspect(c, t.contracts.load("items-to-acme").contract());
                digests = SqlChunkDigests.digests(c, schema, schema.columns().stream().map(ColumnInfo::outputName)
                        .toList(), ranges);
            }
            assertThat(digests).containsOnlyKeys(1, 2, 4);
            for (int seq : List.of(1, 2, 4)) {
                String sealed = t.workspace.store().inTransaction(c -> t.workspace.store().reconciliations()
                        .rowDigest(c, runId, seq)).orElseThrow();
                assertThat(digests.get(seq)).as("chunk " + seq).isEqualTo(new SqlRangeDigest.Digest(
                        chunks.get(seq - 1).rowCount(), sealed));
            }
        }
    }

    private static List<RowDiff> diffs(VerifyService.DeepOutcome o) {
        return o.deep().chunks().stream().flatMap(c -> c.result().diffs().stream()).toList();
    }
}
