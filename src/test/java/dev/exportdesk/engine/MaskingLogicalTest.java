package dev.exportdesk.engine;

import static dev.exportdesk.engine.MaskedPeople.ACME_KEY;
import static dev.exportdesk.engine.MaskedPeople.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract (issue 15) with masking and a row filter: the table copy and the changes
 * streamed from the log are masked alike, a row an update moves out of the filter is removed from
 * the partner's copy, and no raw e-mail reaches the partner. A TRUNCATE empties the partner's whole
 * copy, and the rows after it are masked and filtered as any others.
 */
@Timeout(240)
class MaskingLogicalTest {
    @TempDir
    Path dir;

    @Test
    void copyAndStreamAreMaskedAlikeAndARowLeavingTheFilterIsDeleted() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "mask_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE people (id BIGINT PRIMARY KEY, email TEXT NOT NULL, region TEXT NOT NULL)",
                "ALTER TABLE people REPLICA IDENTITY FULL", "CREATE PUBLICATION people_pub FOR TABLE people",
                "INSERT INTO people SELECT g, 'person' || g || '@example.com', CASE WHEN g % 2 = 0 THEN 'EU' ELSE "
                        + "'US' END FROM generate_series(1, 200) g");
        ObjectNode contract = Contracts.base("people", db, "people", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 40);
        Contracts.logical(contract, "people_pub", slot);
        contract.putObject("masking").put("hmac_secret", "acme-mask").putObject("columns").put("email", "hmac_sha256");
        contract.putArray("row_filter").addObject().put("column", "region").put("operator", "=").put("value", "EU");

        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        Path key = Files.writeString(dir.resolve("acme.key"), ACME_KEY);
        assertThat(cli.run("secret", "set", "acme-mask", "--scope", "masking:acme", "--from-file", key.toString())
                .code()).isZero();
        Path file = Files.writeString(dir.resolve("people.json"), contract.toString());
        CliRun.Result imported = cli.run("contract", "import", file.toString());
        assertThat(imported.code()).as(imported.all()).isZero();
        CliRun.Result copy = cli.run("run", "people", "-q");
        assertThat(copy.code()).as(copy.all()).isZero();

        db.exec("UPDATE people SET region = 'US' WHERE id = 2", // leaves the filter
                "UPDATE people SET email = 'renamed4@example.com' WHERE id = 4",
                "UPDATE people SET region = 'EU' WHERE id = 5", // enters it
                "DELETE FROM people WHERE id = 6",
                "INSERT INTO people VALUES (201, 'person201@example.com', 'US'), (202, 'person202@example.com', 'EU')");
        CliRun.Result stream = cli.run("run", "people", "-q");
        assertThat(stream.code()).as(stream.all()).isZero();

        Replay replay = Replay.of(dir.resolve("drop/people"), "id");
        assertThat(replay.manifests).extracting(Manifest::mode).containsExactly("full", "incremental");
        Set<String> expected = IntStream.rangeClosed(1, 202).filter(id -> id % 2 == 0 || id == 5)
                .filter(id -> id != 2 && id != 6).mapToObj(Integer::toString).collect(Collectors.toSet());
        assertThat(replay.table.keySet()).isEqualTo(expected);
        assertThat(replay.table.get("4").get("email").asText()).isEqualTo(hmac(ACME_KEY, "renamed4@example.com"));
        assertThat(replay.table.get("5").get("email").asText()).isEqualTo(hmac(ACME_KEY, "person5@example.com"));
        assertThat(replay.table.get("202").get("email").asText()).isEqualTo(hmac(ACME_KEY, "person202@example.com"));
        assertThat(replay.manifests).allSatisfy(m -> assertThat(m.maskingPolicySha256()).isNotNull());
        assertThat(replay.delivered).noneMatch(r -> r.toString().contains("@example.com"));

        // a TRUNCATE empties the partner's whole copy, whatever the filter let through; what follows is masked
        db.exec("BEGIN; TRUNCATE people; INSERT INTO people VALUES (300, 'person300@example.com', 'EU'), "
                + "(301, 'person301@example.com', 'US'); COMMIT");
        CliRun.Result truncated = cli.run("run", "people", "-q");
        assertThat(truncated.code()).as(truncated.all()).isZero();
        Replay after = Replay.of(dir.resolve("drop/people"), "id");
        assertThat(after.truncates).isEqualTo(1);
        assertThat(after.table.keySet()).containsExactly("300");
        assertThat(after.table.get("300").get("email").asText()).isEqualTo(hmac(ACME_KEY, "person300@example.com"));
        assertThat(after.delivered).noneMatch(r -> r.toString().contains("@example.com"));
    }
}
