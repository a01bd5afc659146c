package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `contract import` refuses in a masking policy or row filter, checked against the live
 * PostgreSQL source and the vault: each error names its field, the exit code is 3, and nothing is
 * stored. A hostile column name is a name that does not exist, never SQL.
 */
@Timeout(120)
class MaskingImportTest {
    @TempDir
    Path dir;

    @Test
    void eachProblemIsRefusedNamingItsFieldAndNothingIsStored() throws Exception {
        MaskedPeople p = new MaskedPeople(dir);
        p.secret("short-key", "masking:acme", "too-short");

        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("nope", "redact"),
                "$.masking.columns.nope: column \"nope\" does not exist");
        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("updated_at", "null"),
                "$.masking.columns.updated_at: \"updated_at\" is a cursor column");
        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("id", "truncate(2)"),
                "$.masking.columns.id: \"id\" is a key column");
        // a key column named in another case is still the key column (the source resolves names case-insensitively)
        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("ID", "redact"),
                "$.masking.columns.ID: column \"id\" is a key or cursor column");
        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("EMAIL", "drop"),
                "$.masking.columns.email: names the same column as \"EMAIL\"");
        refused(p, c -> ((ObjectNode) c.get("masking").get("columns")).put("region", "truncate(0)"),
                "$.masking.columns.region: truncate(n)");
        refused(p, c -> c.withArray("row_filter").addObject().put("column", "name\" OR 1=1 --").put("operator", "=")
                .put("value", "x"), "$.row_filter[2].column: column \"name\" OR 1=1 --\" does not exist");
        refused(p, c -> c.withArray("row_filter").addObject().put("column", "id").put("operator", ">")
                .put("value", "1 OR 1=1"), "$.row_filter[2].value: is not a value of column \"id\"");
        refused(p, c -> c.withArray("row_filter").addObject().put("column", "email").put("operator", "<")
                .put("value", "m"), "$.row_filter[2].operator: < does not apply to column \"email\"");
        refused(p, c -> c.withArray("row_filter").addObject().put("column", "updated_at").put("operator", ">=")
                .put("value", "yesterday"), "$.row_filter[2].value: is not a value of column \"updated_at\"");
        refused(p, c -> ((ObjectNode) c.get("masking")).put("hmac_secret", "no-such-key"),
                "$.masking.hmac_secret: no secret named \"no-such-key\"");
        // beta's key is bound to beta's scope: acme's contract cannot make beta's pseudonyms
        refused(p, c -> ((ObjectNode) c.get("masking")).put("hmac_secret", "beta-mask"),
                "$.masking.hmac_secret: secret \"beta-mask\" may only be sent to masking:beta, not to masking:acme");
        // nor can a destination's credential key pseudonyms (its scope is the server it may be sent to)
        p.secret("sftp-password", "sftp://127.0.0.1:2222", "a-long-enough-destination-password-0123456789");
        refused(p, c -> ((ObjectNode) c.get("masking")).put("hmac_secret", "sftp-password"),
                "$.masking.hmac_secret: secret \"sftp-password\" may only be sent to sftp://127.0.0.1:2222");
        refused(p, c -> ((ObjectNode) c.get("masking")).put("hmac_secret", "short-key"),
                "$.masking.hmac_secret: secret \"short-key\" is shorter than 32 characters");

        CliRun.Result list = p.cli.run("contract", "list");
        assertThat(list.out()).doesNotContain("acme-people");
        assertThat(Files.exists(dir.resolve("drop"))).isFalse();

        // the control: deterministic key and cursor transforms, truncate on text, all accepted
        ObjectNode valid = p.acme();
        ((ObjectNode) valid.get("masking").get("columns")).put("region", "truncate(3)").put("id", "sha256")
                .put("updated_at", "hmac_sha256").put("email", "truncate(3)");
        CliRun.Result ok = p.importContract(valid);
        assertThat(ok.code()).as(ok.all()).isZero();
    }

    private static void refused(MaskedPeople p, Consumer<ObjectNode> change, String expected) throws Exception {
        ObjectNode c = p.acme();
        change.accept(c);
        CliRun.Result r = p.importContract(c);
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.all()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain(MaskedPeople.BETA_KEY)
                .doesNotContain("a-long-enough-destination-password");
    }
}
