package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PostgreSQL table of personal data, two partners' masking keys in a workspace, and what the
 * tests of masking need around it: the partners' contracts, an independent HMAC, and every
 * delivered byte (chunks decompressed).
 */
final class MaskedPeople {
    static final String ACME_KEY = "acme-pseudonym-key-0123456789abcdef0123456789";
    static final String BETA_KEY = "beta-pseudonym-key-fedcba9876543210fedcba9876";
    static final String HOSTILE = "x' OR '1'='1";

    final SourceDb db;
    final CliRun cli;
    final Path dir;

    MaskedPeople(Path dir) throws Exception {
        this.dir = dir;
        db = SourceDb.postgres();
        db.exec("CREATE TABLE people (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT, ssn TEXT, zip TEXT, "
                        + "note TEXT, region TEXT, updated_at TIMESTAMPTZ NOT NULL)",
                "INSERT INTO people SELECT g, 'person' || g || '@example.com', 'Name ' || g, 'SSN-' || lpad(g::text, 6, "
                        + "'0'), 'ZIP' || g || '99', 'note ' || g, CASE WHEN g % 3 = 0 THEN 'US' ELSE 'EU' END, "
                        + "TIMESTAMPTZ '2024-03-01 12:00:00+00' + g * interval '1 second' FROM generate_series(1, 300) g",
                // a row whose name is the hostile literal itself: the filter must exclude it as data
                "INSERT INTO people VALUES (301, 'person301@example.com', '" + HOSTILE.replace("'", "''") + "', "
                        + "'SSN-000301', 'ZIP30199', 'note 301', 'EU', TIMESTAMPTZ '2024-03-01 13:00:00+00')");
        cli = new CliRun(dir.resolve("ws"), Map.of("USER", "steward"));
        secret("acme-mask", "masking:acme", ACME_KEY);
        secret("beta-mask", "masking:beta", BETA_KEY);
    }

    void secret(String name, String scope, String value) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".key"), value);
        CliRun.Result r = cli.run("secret", "set", name, "--scope", scope, "--from-file", file.toString());
        assertThat(r.code()).as(r.all()).isZero();
        Files.delete(file);
    }

    /** Partner acme: EU rows other than the hostile one, e-mail pseudonymised, name redacted, ssn dropped. */
    ObjectNode acme() {
        ObjectNode c = Contracts.base("acme-people", db, "people", dir.resolve("drop"));
        ObjectNode m = c.putObject("masking").put("hmac_secret", "acme-mask");
        m.putObject("columns").put("email", "hmac_sha256").put("name", "redact").put("ssn", "drop")
                .put("zip", "truncate(3)").put("note", "null");
        var filter = c.putArray("row_filter");
        filter.addObject().put("column", "region").put("operator", "in").putArray("values").add("EU");
        filter.addObject().put("column", "name").put("operator", "!=").put("value", HOSTILE);
        return c;
    }

    /** Partner beta: every row, the key and e-mail pseudonymised with beta's own key, ssn dropped. */
    ObjectNode beta() {
        ObjectNode c = Contracts.base("beta-people", db, "people", dir.resolve("drop"));
        c.put("partner", "beta");
        c.putObject("masking").put("hmac_secret", "beta-mask").putObject("columns").put("id", "hmac_sha256")
                .put("email", "hmac_sha256").put("ssn", "drop");
        return c;
    }

    CliRun.Result importContract(ObjectNode contract) throws IOException {
        Path file = Files.writeString(dir.resolve(contract.get("name").asText() + ".json"), contract.toString());
        return cli.run("contract", "import", file.toString());
    }

    static String hmac(String key, String value) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every file delivered for {@code contract} as text, chunks decompressed: what its partner received. */
    List<String> deliveredTexts(String contract) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("drop").resolve(contract))) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            if (f.toString().endsWith(".zst")) {
                try (InputStream in = Codecs.decompress(Files.newInputStream(f), Compression.ZSTD)) {
                    bytes = in.readAllBytes();
                }
            }
            out.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return out;
    }
}
