package dev.exportdesk.engine;

import static dev.exportdesk.engine.MaskedPeople.ACME_KEY;
import static dev.exportdesk.engine.MaskedPeople.BETA_KEY;
import static dev.exportdesk.engine.MaskedPeople.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Replay;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masking and row filters end to end through the CLI on PostgreSQL: each partner receives its own
 * pseudonyms, redacted, truncated, nulled and dropped columns as its contract says, no raw value in
 * any delivered byte, only the rows its filter admits (a hostile literal stays data), a row that
 * leaves the filter as a delete, and deep verification that matches masked rows and still catches a
 * real change.
 */
@Timeout(300)
class MaskingDeliveryTest {
    private static final Pattern RAW = Pattern.compile("@example\\.com|SSN-|Name \\d|note \\d|ZIP\\d|"
            + Pattern.quote(ACME_KEY) + "|" + Pattern.quote(BETA_KEY) + "|" + Pattern.quote(MaskedPeople.HOSTILE));

    private static final Pattern BETA_RAW = Pattern.compile("@example\\.com|SSN-|" + Pattern.quote(ACME_KEY) + "|"
            + Pattern.quote(BETA_KEY));

    @TempDir
    Path dir;

    @Test
    void eachPartnerGetsItsOwnMaskedRowsAndNothingRaw() throws Exception {
        MaskedPeople p = new MaskedPeople(dir);
        ship(p);
        Replay acme = Replay.of(dir.resolve("drop/acme-people"), "id");
        Replay beta = Replay.of(dir.resolve("drop/beta-people"), "id");

        Set<String> admitted = LongStream.rangeClosed(1, 300).filter(id -> id % 3 != 0).mapToObj(Long::toString)
                .collect(Collectors.toSet());
        assertThat(acme.table.keySet()).as("only EU rows, not the one named by the hostile literal")
                .isEqualTo(admitted);
        JsonNode row = acme.table.get("7");
        assertThat(row.get("email").asText()).isEqualTo(hmac(ACME_KEY, "person7@example.com"));
        assertThat(row.get("name").asText()).isEqualTo("[redacted]");
        assertThat(row.get("zip").asText()).isEqualTo("ZIP");
        assertThat(row.get("note").isNull()).isTrue();
        assertThat(row.has("ssn")).isFalse();
        assertThat(row.get("region").asText()).isEqualTo("EU");
        // rows the filter never admitted arrive as deletes carrying only key and cursor (documented)
        JsonNode outside = acme.delivered.stream().filter(r -> r.get("id").asLong() == 301).findFirst().orElseThrow();
        assertThat(outside.get("_op").asText()).isEqualTo("delete");
        assertThat(outside.get("email").isNull()).isTrue();
        assertThat(outside.get("region").isNull()).isTrue();

        JsonNode b7 = beta.table.get(hmac(BETA_KEY, "7"));
        assertThat(b7).as("beta's key is beta's pseudonym of 7").isNotNull();
        assertThat(b7.get("email").asText()).isEqualTo(hmac(BETA_KEY, "person7@example.com"))
                .isNotEqualTo(row.get("email").asText());
        assertThat(b7.get("name").asText()).as("beta's contract does not mask names").isEqualTo("Name 7");
        assertThat(beta.table).hasSize(301);
        Set<String> acmePseudonyms = acme.table.values().stream().map(r -> r.get("email").asText())
                .collect(Collectors.toSet());
        Set<String> shared = new HashSet<>(acmePseudonyms);
        shared.retainAll(beta.table.values().stream().map(r -> r.get("email").asText()).collect(Collectors.toSet()));
        assertThat(shared).as("no pseudonym joins the two partners' copies").isEmpty();

        assertThat(acme.manifests.get(0).columns()).doesNotContain("ssn").contains("email", "zip");
        assertThat(acme.manifests.get(0).maskingPolicySha256()).isEqualTo(
                ContractCodec.parse(p.acme().toString(), "acme").masking().fingerprint());

        List<String> leaks = p.deliveredTexts("acme-people").stream()
                .flatMap(t -> RAW.matcher(t).results().map(m -> m.group())).distinct().toList();
        assertThat(leaks).as("raw values in acme's delivered bytes").isEmpty();
        List<String> betaLeaks = p.deliveredTexts("beta-people").stream()
                .flatMap(t -> BETA_RAW.matcher(t).results().map(m -> m.group())).distinct().toList();
        assertThat(betaLeaks).as("e-mails, ssns or keys in beta's delivered bytes").isEmpty();
    }

    @Test
    void aRowLeavingTheFilterIsDeliveredAsADelete() throws Exception {
        MaskedPeople p = new MaskedPeople(dir);
        ship(p);
        p.db.exec("UPDATE people SET region = 'US', updated_at = TIMESTAMPTZ '2024-03-02 00:00:00+00' WHERE id = 5",
                "UPDATE people SET region = 'EU', updated_at = TIMESTAMPTZ '2024-03-02 00:00:00+00' WHERE id = 6");
        assertThat(p.cli.run("run", "acme-people", "-q").code()).isZero();
        Replay acme = Replay.of(dir.resolve("drop/acme-people"), "id");
        assertThat(acme.table).doesNotContainKey("5").containsKey("6");
        assertThat(acme.manifests).hasSize(2);
        JsonNode gone = acme.delivered.stream().skip(301).filter(r -> r.get("id").asLong() == 5).findFirst()
                .orElseThrow();
        assertThat(gone.get("_op").asText()).isEqualTo("delete");
        assertThat(gone.get("email").isNull()).as("a row outside the filter shows nothing but key and cursor")
                .isTrue();
        assertThat(acme.manifests.get(1).chunks().get(0).deletes()).isEqualTo(1);
    }

    @Test
    void deepVerifyMatchesMaskedRowsAndCatchesARealChange() throws Exception {
        MaskedPeople p = new MaskedPeople(dir);
        ship(p);
        for (String contract : List.of("acme-people", "beta-people")) {
            CliRun.Result clean = p.cli.run("verify", contract, "--deep");
            assertThat(clean.code()).as(clean.all()).isZero();
            assertThat(clean.out()).contains("(source): match");
        }
        // id 3 is outside acme's filter: acme holds its delete, which the source still encodes to
        p.db.exec("UPDATE people SET email = 'changed3@example.com' WHERE id = 3",
                "UPDATE people SET email = 'changed7@example.com' WHERE id = 7");
        CliRun.Result acme = p.cli.run("verify", "acme-people", "--deep");
        assertThat(acme.code()).as(acme.all()).isEqualTo(6);
        assertThat(acme.out()).contains("changed  key [7]").doesNotContain("key [3]");
        CliRun.Result beta = p.cli.run("verify", "beta-people", "--deep");
        assertThat(beta.code()).as(beta.all()).isEqualTo(6);
        assertThat(beta.out()).contains("changed  key [7]", "changed  key [3]");

        // corrections re-read the rows by their source keys and mask them as every capture does
        for (String contract : List.of("acme-people", "beta-people")) {
            CliRun.Result correct = p.cli.run("correct", contract, "-q");
            assertThat(correct.code()).as(correct.all()).isZero();
            CliRun.Result corrected = p.cli.run("verify", contract, "--deep");
            assertThat(corrected.code()).as(corrected.all()).isZero();
        }
        Replay b = Replay.of(dir.resolve("drop/beta-people"), "id");
        assertThat(b.manifests).hasSize(2);
        assertThat(b.table.get(hmac(BETA_KEY, "7")).get("email").asText())
                .isEqualTo(hmac(BETA_KEY, "changed7@example.com"));
        assertThat(Replay.of(dir.resolve("drop/acme-people"), "id").table.get("7").get("email").asText())
                .isEqualTo(hmac(ACME_KEY, "changed7@example.com"));
        assertThat(p.deliveredTexts("beta-people")).noneMatch(t -> BETA_RAW.matcher(t).find());
    }

    private static void ship(MaskedPeople p) throws Exception {
        for (var contract : List.of(p.acme(), p.beta())) {
            CliRun.Result imported = p.importContract(contract);
            assertThat(imported.code()).as(imported.all()).isZero();
            CliRun.Result run = p.cli.run("run", contract.get("name").asText(), "-q");
            assertThat(run.code()).as(run.all()).isZero();
        }
    }
}
