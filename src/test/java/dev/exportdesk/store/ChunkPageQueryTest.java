package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's chunk pages: the right chunks on both databases, and reads proportional to the page. */
class ChunkPageQueryTest {
    private static final int CHUNKS = 3_000;

    @TempDir
    Path dir;

    private StateStore open(String kind) {
        StateStore store = StateStores.open(kind, dir, "pages");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.update(c -> {
            store.contracts().upsertPartner(c, "acme", now);
            store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
            store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
            for (String run : List.of("r1", "r2")) {
                store.runs().insert(c, new RunRecord(run, "orders", 1, run.equals("r1") ? 1 : 2, RunMode.INCREMENTAL,
                        RunState.PLANNED, now, null, null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                for (int seq = 1; seq <= CHUNKS; seq++) {
                    store.chunks().plan(c, run, seq, "chunk-" + seq + ".jsonl", now);
                }
            }
        });
        return store;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void pagesFollowEachOtherInSequenceWithinOneRun(String kind) {
        try (StateStore store = open(kind)) {
            ChunkPageQuery pages = new ChunkPageQuery();
            store.update(c -> {
                List<ChunkPageQuery.ChunkWithCheck> first = pages.page(c, "r2", 0, 100);
                assertThat(first).extracting(p -> p.chunk().seq()).startsWith(1, 2, 3).endsWith(100).hasSize(100);
                assertThat(first).allMatch(p -> p.chunk().runId().equals("r2"));
                assertThat(pages.page(c, "r2", 2_950, 100)).extracting(p -> p.chunk().seq())
                        .hasSize(50).startsWith(2_951).endsWith(CHUNKS);
                assertThat(pages.page(c, "r2", CHUNKS, 100)).isEmpty();
                assertThat(pages.count(c, "r2")).isEqualTo(CHUNKS);
            });
        }
    }

    /**
     * H2 reads only the page's rows from the key index. Ordered by seq alone it read all the run's
     * chunks per page, which made a 100,000-chunk run take seconds to open in the console.
     */
    @Test
    void h2ReadsOnlyThePageFromTheKeyIndex() {
        try (StateStore store = open("h2")) {
            store.update(c -> {
                try (PreparedStatement st = c.prepareStatement("EXPLAIN ANALYZE " + ChunkPageQuery.pageSql(50))) {
                    st.setString(1, "r1");
                    st.setInt(2, 1_000);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        String plan = rs.getString(1);
                        Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
                        assertThat(scanned.find()).as(plan).isTrue();
                        assertThat(Integer.parseInt(scanned.group(1))).as(plan).isLessThanOrEqualTo(51);
                        assertThat(plan).contains("index sorted");
                    }
                }
            });
        }
    }
}
