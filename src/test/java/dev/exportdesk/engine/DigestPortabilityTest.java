package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.verify.ChunkClass;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rows in an H2 and a PostgreSQL source — NULLs, empty strings, unicode, quotes and
 * newlines, exact decimals, doubles, booleans, dates and timestamps in other time zones — give the
 * same sealed row digests chunk by chunk, and a deep verification of each matches, so neither
 * database false-alarms against the other's encoding.
 */
class DigestPortabilityTest {
    @TempDir
    Path dir;

    private List<String> exportAndVerify(String kind) throws Exception {
        SourceDb db = SourceDb.of(kind, dir.resolve(kind));
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), amount NUMERIC(12, 2), ratio DOUBLE PRECISION, "
                + "flag BOOLEAN, born DATE, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= 700; i++) {
                st.setLong(1, i);
                st.setString(2, switch (i % 5) {
                    case 0 -> null;
                    case 1 -> "";
                    case 2 -> "Zoë \"quoted\", comma\nnewline " + i;
                    case 3 -> "日本語 " + i;
                    default -> "plain " + i;
                });
                st.setBigDecimal(3, i % 7 == 0 ? null : new BigDecimal(i + ".50"));
                st.setObject(4, i % 3 == 0 ? null : (Object) (i / 3.0));
                st.setObject(5, i % 4 == 0 ? null : (Object) (i % 2 == 0));
                st.setObject(6, LocalDate.of(1990, 1, 1).plusDays(i));
                st.setObject(7, OffsetDateTime.of(2024, 3, 1, 12, 0, 0, i * 1000, ZoneOffset.ofHours(i % 2 == 0 ? 2 : -5)));
                st.addBatch();
            }
            st.executeBatch();
        }
        ObjectNode contract = Contracts.base("t-to-acme", db, "t", dir.resolve(kind).resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 250);
        // listed columns give the same output names on both (H2 reports unlisted names in upper case)
        contract.putArray("columns").add("id").add("name").add("amount").add("ratio").add("flag").add("born")
                .add("updated_at");
        List<String> digests = new ArrayList<>();
        try (TestEngine t = TestEngine.open(dir.resolve(kind).resolve("ws"))) {
            t.importContract(contract.toString());
            RunResult r = t.run("t-to-acme");
            RunResultAssert.completed(r);
            for (ChunkRecord ch : t.workspace.store().inTransaction(c -> t.workspace.store().chunks().forRun(c, r.run().id()))) {
                String d = t.workspace.store().inTransaction(c ->
                        t.workspace.store().reconciliations().rowDigest(c, r.run().id(), ch.seq())).orElseThrow();
                digests.add(ch.rowCount() + ":" + d + ":" + ch.contentSha256());
            }
            VerifyService.DeepOutcome deep = t.verify.verify("t-to-acme", true).get(0);
            assertThat(deep.deep().chunks()).allSatisfy(c ->
                    assertThat(c.result().classification()).isEqualTo(ChunkClass.MATCH));
        }
        return digests;
    }

    @Test
    void h2AndPostgresqlGiveTheSameDigests() throws Exception {
        List<String> h2 = exportAndVerify("h2");
        List<String> pg = exportAndVerify("postgresql");
        assertThat(h2).hasSize(3);
        assertThat(pg).isEqualTo(h2);
    }
}
