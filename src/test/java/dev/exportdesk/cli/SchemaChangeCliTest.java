package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-change policy from the command line: the version the engine adds for a nullable column
 * shows in {@code contract history}, the partner's manifest says what was added, and an unknown
 * policy is bad input naming {@code $.schema_change}, with nothing stored.
 */
class SchemaChangeCliTest {
    @TempDir
    Path dir;

    @Test
    void theVersionAddedForANullableColumnShowsInTheHistoryAndTheManifest() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT g, now() - interval '1 hour' FROM generate_series(1, 20) g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop).put("schema_change", "additive");
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("ALTER TABLE items ADD COLUMN region TEXT",
                "INSERT INTO items VALUES (21, now() - interval '30 minutes', 'EU')");

        CliRun.Result run = cli.run("run", "items");
        assertThat(run.code()).as(run.all()).isZero();
        CliRun.Result history = cli.run("contract", "history", "items");
        assertThat(history.code()).as(history.all()).isZero();
        assertThat(history.out().lines().filter(l -> l.startsWith("2 ")))
                .singleElement().asString().contains("schema_change additive: added region text (from v1)");
        assertThat(history.out().lines().filter(l -> l.startsWith("1 "))).singleElement().asString()
                .doesNotContain("schema_change");
        CliRun.Result body = cli.run("contract", "export", "items");
        assertThat(body.out()).contains("\"schema_change\" : \"additive\"");

        JsonNode manifest = new ObjectMapper().readTree(drop.resolve("items/run-000002/manifest.json").toFile());
        assertThat(manifest.path("contract_version").asInt()).isEqualTo(2);
        assertThat(manifest.path("schema_change").path("added_columns").get(0).path("name").asText())
                .isEqualTo("region");
        assertThat(manifest.path("columns").toString()).contains("region");
        // the partner's verifier takes the manifest with its notice like any other (chain, ledger, hashes)
        CliRun.Result partner = cli.run("verify-delivery", drop.resolve("items").toString());
        assertThat(partner.code()).as(partner.all()).isZero();
        assertThat(partner.out()).contains("delivery verified");
        // both runs, before and after the table grew, match the source row for row
        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as(deep.all()).isZero();
        assertThat(deep.out()).doesNotContain("SCHEMA_DRIFT");
    }

    @Test
    void anUnknownPolicyIsBadInputNamingTheFieldAndNothingIsStored() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop")).put("schema_change", "always");
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));

        CliRun.Result imported = cli.run("contract", "import", file.toString());
        assertThat(imported.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(imported.err()).contains("$.schema_change").contains("must be one of stop, additive")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(cli.run("contract", "list").out()).contains("no contracts yet");
    }
}
