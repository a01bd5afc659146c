package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical value encoding: NULL vs empty string, unicode, long text, exact decimals, time zones
 * normalised to UTC — and the same rows give the same bytes from H2 and from PostgreSQL.
 */
class CanonicalEncodingTest {
    private static final String LONG_TEXT = "ü€𝄞".repeat(30_000);

    @TempDir
    Path dir;

    private static void createAndFill(SourceDb db) throws Exception {
        db.exec("CREATE TABLE vals (id BIGINT PRIMARY KEY, txt VARCHAR(200000), amount NUMERIC(20,6), "
                        + "ratio DOUBLE PRECISION, ok BOOLEAN, born DATE, seen TIMESTAMP, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO vals VALUES (1, NULL, NULL, NULL, NULL, NULL, NULL, "
                        + "TIMESTAMP WITH TIME ZONE '2024-05-01 12:00:00+05:30')",
                "INSERT INTO vals VALUES (2, '', 123456789012.123456, 0.5, TRUE, DATE '1999-12-31', "
                        + "TIMESTAMP '2024-02-29 23:59:59.123456', TIMESTAMP WITH TIME ZONE '2024-05-01 06:30:00+00')",
                "INSERT INTO vals VALUES (3, 'Zürich, \"quoted\"\nnew line', -0.000001, -1.25, FALSE, "
                        + "DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', "
                        + "TIMESTAMP WITH TIME ZONE '2024-05-01 06:30:00+00')");
        try (var c = db.connect(); var st = c.prepareStatement("INSERT INTO vals (id, txt, updated_at) VALUES "
                + "(4, ?, TIMESTAMP WITH TIME ZONE '2024-05-01 07:00:00+00')")) {
            st.setString(1, LONG_TEXT);
            st.executeUpdate();
        }
    }

    private Path export(SourceDb db, String name, String format) throws Exception {
        createAndFill(db);
        Path drop = dir.resolve("drop-" + name);
        ObjectNode contract = Contracts.base(name, db, "vals", drop);
        contract.putArray("columns").add("id").add("txt").add("amount").add("ratio").add("ok").add("born")
                .add("seen").add("updated_at");
        contract.put("format", format);
        try (TestEngine t = TestEngine.open(dir.resolve("ws-" + name))) {
            t.importContract(contract.toString());
            assertThat(t.run(name).completed()).isTrue();
        }
        return drop.resolve(name);
    }

    @Test
    void valuesAreEncodedExactlyAndIdenticallyFromH2AndPostgres() throws Exception {
        Path h2 = export(SourceDb.h2(dir), "vals-h2", "jsonl");
        Path pg = export(SourceDb.postgres(), "vals-pg", "jsonl");
        Manifest fromH2 = Replay.of(h2, "id").manifests.get(0);
        Manifest fromPg = Replay.of(pg, "id").manifests.get(0);
        assertThat(fromPg.chunks().get(0).contentSha256()).as("same canonical bytes from both databases")
                .isEqualTo(fromH2.chunks().get(0).contentSha256());

        Replay r = Replay.of(h2, "id");
        JsonNode nulls = r.table.get("1");
        assertThat(nulls.get("txt").isNull()).isTrue();
        assertThat(nulls.get("updated_at").asText()).isEqualTo("2024-05-01T06:30:00.000000Z");
        JsonNode two = r.table.get("2");
        assertThat(two.get("txt").asText()).isEmpty();
        assertThat(two.get("txt").isTextual()).isTrue();
        assertThat(two.get("amount").asText()).isEqualTo("123456789012.123456");
        assertThat(two.get("ratio").asDouble()).isEqualTo(0.5);
        assertThat(two.get("ok").asBoolean()).isTrue();
        assertThat(two.get("born").asText()).isEqualTo("1999-12-31");
        assertThat(two.get("seen").asText()).isEqualTo("2024-02-29T23:59:59.123456");
        assertThat(r.table.get("3").get("txt").asText()).isEqualTo("Zürich, \"quoted\"\nnew line");
        assertThat(r.table.get("3").get("amount").asText()).isEqualTo("-0.000001");
        assertThat(r.table.get("4").get("txt").asText()).isEqualTo(LONG_TEXT);
        String raw;
        try (InputStream in = Codecs.decompress(Files.newInputStream(h2.resolve("run-000001")
                .resolve(fromH2.chunks().get(0).file())), Compression.ZSTD)) {
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(raw).as("non-BMP characters as UTF-8, not escaped").contains("𝄞").doesNotContain("\\uD834");
    }

    @Test
    void csvKeepsNullAndEmptyStringApartAndQuotesPerRfc4180() throws Exception {
        Path out = export(SourceDb.h2(dir), "vals-csv", "csv");
        Manifest m = ManifestCodec.read(Files.readAllBytes(out.resolve("run-000001/manifest.json")));
        String text;
        try (InputStream in = Codecs.decompress(Files.newInputStream(out.resolve("run-000001")
                .resolve(m.chunks().get(0).file())), Compression.ZSTD)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
        assertThat(lines.get(0)).isEqualTo("id,txt,amount,ratio,ok,born,seen,updated_at,_op");
        assertThat(lines.get(1)).isEqualTo("1,,,,,,,2024-05-01T06:30:00.000000Z,upsert");
        assertThat(lines.get(2)).startsWith("2,\"\",123456789012.123456,0.5,true,1999-12-31,");
        assertThat(text).contains("3,\"Zürich, \"\"quoted\"\"\nnew line\",-0.000001");
        assertThat(m.chunks().get(0).rows()).isEqualTo(4);
    }
}
