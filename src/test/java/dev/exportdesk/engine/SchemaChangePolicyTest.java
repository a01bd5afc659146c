package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.SchemaChangeNotice;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 item 5: {@code "schema_change": "additive"} takes nullable columns the source's table
 * gained into a new contract version and tells the partner; {@code "stop"} (the default) and every
 * other kind of change stop the run in SCHEMA_DRIFT with nothing delivered.
 */
class SchemaChangePolicyTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SourceDb db;
    private String kind;

    /** How the source spells a column it was given unquoted: H2 in capitals. */
    private String col(String name) {
        return kind.equals("h2") ? name.toUpperCase(java.util.Locale.ROOT) : name;
    }

    private TestEngine setUp(String kind) throws SQLException {
        this.kind = kind;
        db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        insert(1, 10, T0);
        return TestEngine.open(dir.resolve("ws"));
    }

    private ObjectNode contract(String name, String policy) {
        ObjectNode c = Contracts.base(name, db, "items", dir.resolve("drop"));
        if (policy != null) {
            c.put("schema_change", policy);
        }
        return c;
    }

    private void insert(long fromId, long toId, OffsetDateTime at) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO items (id, name, updated_at) VALUES (?, ?, ?)")) {
            for (long id = fromId; id <= toId; id++) {
                st.setLong(1, id);
                st.setString(2, "item " + id);
                st.setObject(3, at);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private Replay replay(String contract) throws Exception {
        return Replay.of(dir.resolve("drop").resolve(contract), "id");
    }

    private static List<AuditEntry> additiveAudits(TestEngine t) {
        return t.ctx.store().inTransaction(c -> t.ctx.store().audit().recent(c, 500)).stream()
                .filter(e -> e.action().equals("contract.schema-additive")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anAddedNullableColumnIsTakenUnderAdditiveAndStopsUnderStop(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            t.importContract(contract("items-additive", "additive").toString());
            t.importContract(contract("items-stop", null).toString());
            RunResultAssert.completed(t.run("items-additive"));
            RunResultAssert.completed(t.run("items-stop"));

            db.exec("ALTER TABLE items ADD COLUMN note VARCHAR(50)");
            insert(11, 20, T0.plusMinutes(1));
            db.exec("UPDATE items SET note = 'n' || CAST(id AS VARCHAR(10)) WHERE id > 10");

            RunResult taken = RunResultAssert.completed(t.run("items-additive"));
            assertThat(taken.run().contractVersion()).isEqualTo(2);
            Replay r = replay("items-additive");
            Manifest before = r.manifests.get(0);
            Manifest after = r.manifests.get(1);
            assertThat(before.columns()).doesNotContain(col("note"));
            assertThat(after.columns()).endsWith(col("note"));
            assertThat(after.contractVersion()).isEqualTo(2);
            String oldFingerprint = before.chunks().get(0).schemaFingerprint();
            String newFingerprint = after.chunks().get(0).schemaFingerprint();
            assertThat(newFingerprint).isNotEqualTo(oldFingerprint);
            SchemaChangeNotice notice = after.schemaChange();
            assertThat(notice).as("the partner is told").isNotNull();
            assertThat(notice.previousContractVersion()).isEqualTo(1);
            assertThat(notice.previousSchemaFingerprint()).isEqualTo(oldFingerprint);
            assertThat(notice.schemaFingerprint()).isEqualTo(newFingerprint);
            assertThat(notice.addedColumns()).extracting(SchemaChangeNotice.Column::name).containsExactly(col("note"));
            assertThat(Files.readString(dir.resolve("drop/items-additive/run-000002/manifest.json")))
                    .contains("\"schema_change\"").contains("\"added_columns\"");
            List<JsonNode> second = r.delivered.subList(10, 20);
            assertThat(second).allSatisfy(row -> assertThat(row.get(col("note")).asText()).isEqualTo("n"
                    + row.get(col("id")).asText()));
            assertThat(r.delivered.subList(0, 10)).allSatisfy(row -> assertThat(row.has(col("note"))).isFalse());

            List<ContractVersion> versions = t.contracts.history("items-additive");
            assertThat(versions).hasSize(2);
            assertThat(versions.get(1).bodySha256()).as("same content").isEqualTo(versions.get(0).bodySha256());
            assertThat(versions.get(1).schemaFingerprint()).isEqualTo(newFingerprint);
            assertThat(versions.get(1).schemaChange()).contains(col("note"));
            List<AuditEntry> audits = additiveAudits(t);
            assertThat(audits).hasSize(1);
            assertThat(audits.get(0).subject()).isEqualTo("items-additive v2");
            assertThat(audits.get(0).actor()).isEqualTo("test");
            assertThat(audits.get(0).after()).contains("\"" + col("note") + "\"");

            // the next run under the same version carries no notice: the partner was told once
            insert(21, 21, T0.plusMinutes(2));
            RunResultAssert.completed(t.run("items-additive"));
            assertThat(replay("items-additive").manifests.get(2).schemaChange()).isNull();
            assertThat(t.contracts.history("items-additive")).hasSize(2);

            RunResult stopped = t.run("items-stop");
            assertThat(stopped.run().state()).isEqualTo(RunState.SCHEMA_DRIFT);
            assertThat(stopped.run().error()).contains("schema drift").contains("column \"" + col("note") + "\" added");
            assertThat(dir.resolve("drop/items-stop/run-000002")).doesNotExist();
            assertThat(t.contracts.history("items-stop")).hasSize(1);
            assertThat(additiveAudits(t)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
        "ALTER TABLE items ALTER COLUMN name TYPE TEXT, stop, name",
        "ALTER TABLE items ALTER COLUMN name TYPE TEXT, additive, name",
        "ALTER TABLE items DROP COLUMN name, stop, name",
        "ALTER TABLE items DROP COLUMN name, additive, name",
        "ALTER TABLE items ADD COLUMN flag INT NOT NULL DEFAULT 0, stop, flag",
        "ALTER TABLE items ADD COLUMN flag INT NOT NULL DEFAULT 0, additive, flag",
        "ALTER TABLE items RENAME COLUMN name TO title, additive, name",
    })
    void otherChangesStopUnderEitherPolicy(String ddl, String policy, String column) throws Exception {
        try (TestEngine t = setUp("postgresql")) {
            t.importContract(contract("items", policy).toString());
            RunResultAssert.completed(t.run("items"));
            insert(11, 12, T0.plusMinutes(1));
            db.exec(ddl);

            RunResult stopped = t.run("items");
            assertThat(stopped.run().state()).isEqualTo(RunState.SCHEMA_DRIFT);
            assertThat(stopped.run().error()).contains("schema drift").contains("\"" + column + "\"");
            assertThat(dir.resolve("drop/items/run-000002")).doesNotExist();
            assertThat(t.contracts.history("items")).hasSize(1);
            assertThat(additiveAudits(t)).isEmpty();
        }
    }

    @Test
    void aNullableColumnAddedBetweenOthersStopsUnderAdditive() throws Exception {
        try (TestEngine t = setUp("h2")) {
            t.importContract(contract("items", "additive").toString());
            RunResultAssert.completed(t.run("items"));
            db.exec("ALTER TABLE items ADD COLUMN mid VARCHAR(10) BEFORE updated_at");
            insert(11, 12, T0.plusMinutes(1));

            RunResult stopped = t.run("items");
            assertThat(stopped.run().state()).isEqualTo(RunState.SCHEMA_DRIFT);
            assertThat(stopped.run().error()).contains("column \"MID\" added")
                    .contains("stops a contract under every schema_change policy");
            assertThat(dir.resolve("drop/items/run-000002")).doesNotExist();
            assertThat(t.contracts.history("items")).hasSize(1);
            assertThat(additiveAudits(t)).isEmpty();
        }
    }

    @Test
    void aStewardsNewerVersionIsNeverOverriddenByTheEngine() throws Exception {
        try (TestEngine t = setUp("postgresql")) {
            ObjectNode first = contract("items", "additive");
            t.importContract(first.toString());
            RunResultAssert.completed(t.run("items"));
            // run 2 fails before sealing anything (nothing new yet, and its folder is taken by a file)
            Path blocked = Files.writeString(dir.resolve("drop/items/run-000002"), "in the way");
            RunResult failed = t.run("items");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            // meanwhile a steward changes the contract, and then the table grows
            t.importContract(Contracts.json(first, c -> c.put("description", "now with a description")));
            db.exec("ALTER TABLE items ADD COLUMN note VARCHAR(50)");
            insert(11, 12, T0.plusMinutes(1));
            Files.delete(blocked);

            RunResult stopped = t.engine.resume(failed.run().id(), ProgressListener.NONE);
            assertThat(stopped.run().state()).isEqualTo(RunState.SCHEMA_DRIFT);
            assertThat(stopped.run().error()).contains("newer version v2").contains("\"note\"");
            assertThat(t.contracts.history("items")).hasSize(2);
            assertThat(additiveAudits(t)).isEmpty();
            assertThat(dir.resolve("drop/items/run-000002")).doesNotExist();

            // resumed, the run moves to the steward's version, whose own policy then takes the column
            RunResult resumed = RunResultAssert.completed(t.engine.resume(failed.run().id(), ProgressListener.NONE));
            assertThat(resumed.run().contractVersion()).isEqualTo(3);
            assertThat(t.contracts.export("items", Optional.of(3)).body()).contains("now with a description");
            assertThat(additiveAudits(t)).hasSize(1);
            Manifest second = replay("items").manifests.get(1);
            assertThat(second.columns()).endsWith("note");
            assertThat(second.schemaChange().previousContractVersion()).as("the partner's copy's").isEqualTo(1);
            assertThat(second.schemaChange().previousSchemaFingerprint())
                    .isEqualTo(replay("items").manifests.get(0).chunks().get(0).schemaFingerprint());
        }
    }

    @Test
    void aRunWithSealedChunksFinishesWithItsColumnsAndTheNextRunTakesTheNewOnes() throws Exception {
        try (TestEngine t = setUp("postgresql")) {
            t.importContract(contract("items", "additive").toString());
            RunResultAssert.completed(t.run("items"));
            insert(11, 20, T0.plusMinutes(1));
            // the run's folder is taken by a file: its chunk is sealed, but cannot be delivered
            Path blocked = Files.writeString(dir.resolve("drop/items/run-000002"), "in the way");
            RunResult failed = t.run("items");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            List<ChunkRecord> sealed = t.ctx.store().inTransaction(c -> t.ctx.store().chunks().forRun(c,
                    failed.run().id()));
            assertThat(sealed).as("sealed before the change").isNotEmpty();

            db.exec("ALTER TABLE items ADD COLUMN note VARCHAR(50)");
            db.exec("UPDATE items SET note = 'late' WHERE id = 20");
            Files.delete(blocked);
            RunResult resumed = RunResultAssert.completed(t.engine.resume(failed.run().id(), ProgressListener.NONE));
            assertThat(resumed.run().contractVersion()).as("kept its version").isEqualTo(1);
            Manifest second = replay("items").manifests.get(1);
            assertThat(second.columns()).doesNotContain("note");
            assertThat(second.schemaChange()).isNull();
            assertThat(t.contracts.history("items")).hasSize(2);

            insert(21, 21, T0.plusMinutes(2));
            RunResult next = RunResultAssert.completed(t.run("items"));
            assertThat(next.run().contractVersion()).isEqualTo(2);
            Replay r = replay("items");
            Manifest third = r.manifests.get(2);
            assertThat(third.columns()).endsWith("note");
            assertThat(third.schemaChange()).isNotNull();
            assertThat(third.schemaChange().previousContractVersion()).isEqualTo(1);
            assertThat(r.delivered.get(r.delivered.size() - 1).has("note")).isTrue();
            assertThat(additiveAudits(t)).hasSize(1);
        }
    }

    @Test
    void anUnknownPolicyOrOneThatCannotApplyIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        try (TestEngine t = setUp("postgresql")) {
            assertRefused(t, contract("items", "sometimes"), "must be one of stop, additive");
            ObjectNode listed = contract("items", "additive");
            listed.putArray("columns").add("id").add("name").add("updated_at");
            assertRefused(t, listed, "\"columns\"");
            ObjectNode masked = contract("items", "additive");
            masked.putObject("masking").putObject("columns").put("name", "redact");
            assertRefused(t, masked, "masking");
            ObjectNode query = contract("items", "additive");
            query.remove("table");
            query.put("query", "SELECT id, name, updated_at FROM items");
            assertRefused(t, query, "query");
            ObjectNode logical = Contracts.logical(contract("items", "additive"), "pub", "slot");
            assertRefused(t, logical, "logical");
            assertThat(t.contracts.list()).isEmpty();
            List<AuditEntry> audit = t.ctx.store().inTransaction(c -> t.ctx.store().audit().recent(c, 100));
            assertThat(audit).noneMatch(e -> e.action().startsWith("contract."));
        }
    }

    private static void assertRefused(TestEngine t, ObjectNode contract, String reason) {
        assertThatThrownBy(() -> t.importContract(contract.toString()))
                .isInstanceOf(ContractValidationException.class)
                .hasMessageContaining("$.schema_change").hasMessageContaining(reason);
    }

    @Test
    void stopIsTheDefaultAndAdditiveIsKeptInTheStoredBody() throws Exception {
        try (TestEngine t = setUp("h2")) {
            t.importContract(contract("plain", null).toString());
            t.importContract(contract("grows", "additive").toString());
            assertThat(t.contracts.export("plain", Optional.empty()).body()).doesNotContain("schema_change");
            assertThat(t.contracts.export("grows", Optional.empty()).body())
                    .contains("\"schema_change\" : \"additive\"");
            assertThat(t.contracts.load("grows").contract().schemaChange().jsonName()).isEqualTo("additive");
        }
    }
}
