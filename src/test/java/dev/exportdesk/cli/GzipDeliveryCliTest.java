package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip chunks (deflated in blocks on several threads) end to end through the CLI: GNU gzip checks
 * and decodes every chunk to the records and content hash the manifest states, and the operator's
 * deep check, the partner's verifier and {@code sha256sum -c} all pass on the same files.
 */
class GzipDeliveryCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 60_000; // about 4 MB of CSV: several blocks per chunk

    @TempDir
    Path dir;

    @Test
    void gzipChunksOfSeveralBlocksAreReadByGnuGzipAndPassEveryCheck() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, txt VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT x, 'item ' || x || ' ' || RAWTOHEX(HASH('SHA-256', CAST(x AS VARCHAR))), "
                        + "TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' + x * INTERVAL '1' SECOND "
                        + "FROM SYSTEM_RANGE(1, " + ROWS + ")");
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("format", "csv").put("compression", "gzip").put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 40_000);
        Files.writeString(dir.resolve("c.json"), contract.toString());
        CliRun.Result imported = cli.run("contract", "import", dir.resolve("c.json").toString());
        assertThat(imported.code()).as(imported.all()).isZero();
        CliRun.Result run = cli.run("run", "items", "-q");
        assertThat(run.code()).as(run.all()).isZero();

        Path folder = drop.resolve("items/run-000001");
        JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
        List<Path> chunks;
        try (Stream<Path> files = Files.list(folder)) {
            chunks = files.filter(p -> p.getFileName().toString().endsWith(".csv.gz")).sorted().toList();
        }
        assertThat(chunks).isNotEmpty();
        long records = 0;
        long largest = 0;
        for (Path chunk : chunks) {
            Process test = new ProcessBuilder("gzip", "-t", chunk.toString()).redirectErrorStream(true).start();
            String said = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(test.waitFor()).as(chunk + ": " + said).isZero();
            Process cat = new ProcessBuilder("gzip", "-dc", chunk.toString()).start();
            byte[] content = cat.getInputStream().readAllBytes();
            assertThat(cat.waitFor()).isZero();
            largest = Math.max(largest, content.length);
            JsonNode entry = entry(manifest, chunk.getFileName().toString());
            assertThat(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content)))
                    .isEqualTo(entry.path("content_sha256").asText());
            String text = new String(content, StandardCharsets.UTF_8);
            long lines = text.lines().count() - 1; // the header
            assertThat(lines).isEqualTo(entry.path("rows").asLong());
            records += lines;
        }
        assertThat(records).isEqualTo(ROWS);
        assertThat(largest).as("a chunk of several 1 MiB blocks").isGreaterThan(2 << 20);

        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as(deep.all()).isZero();
        assertThat(deep.out()).contains("(source): match");
        CliRun.Result partner = cli.run("verify-delivery", folder.toString(), "--no-ack");
        assertThat(partner.code()).as(partner.all()).isZero();
        Process sums = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String said = new String(sums.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sums.waitFor()).as(said).isZero();
    }

    private static JsonNode entry(JsonNode manifest, String file) {
        for (JsonNode c : manifest.path("chunks")) {
            if (file.equals(c.path("file").asText())) {
                return c;
            }
        }
        throw new AssertionError(file + " is not in the manifest: " + manifest);
    }
}
