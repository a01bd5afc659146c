package dev.exportdesk.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.chunk.ManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code truncate_first} mark tells a partner to empty a table, so only the exact mark passes:
 * the literal {@code true} in an incremental run. The partner's verifier and the engine's own
 * manifest reader agree on that; absent means an ordinary chunk.
 */
class TruncateMarkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Item check(String mode, String mark) throws IOException {
        JsonNode manifest = MAPPER.readTree("{\"mode\":\"" + mode + "\"}");
        JsonNode chunk = MAPPER.readTree("{\"file\":\"chunk-000002.jsonl.zst\"" + (mark == null ? ""
                : ",\"truncate_first\":" + mark) + "}");
        return TruncateMark.check("run-000005", manifest, chunk);
    }

    @Test
    void onlyTheLiteralTrueInAnIncrementalRunPasses() throws Exception {
        assertThat(check("incremental", null)).as("an ordinary chunk: nothing to check").isNull();
        Item ok = check("incremental", "true");
        assertThat(ok.ok()).isTrue();
        assertThat(ok.subject()).isEqualTo("chunk-000002.jsonl.zst (truncate_first)");
        assertThat(ok.detail()).contains("empty your copy of the table, then apply this chunk");
        for (String bad : new String[] {"false", "\"true\"", "1", "null", "{}"}) {
            Item item = check("incremental", bad);
            assertThat(item.ok()).as(bad).isFalse();
            assertThat(item.detail()).as(bad).startsWith("field \"truncate_first\" must be true when present");
        }
        for (String mode : new String[] {"full", "correction", "resend"}) {
            Item item = check(mode, "true");
            assertThat(item.ok()).as(mode).isFalse();
            assertThat(item.detail()).contains("only allowed in an incremental run (mode is \"" + mode + "\")");
        }
    }

    @Test
    void theEnginesManifestReaderReadsTheMarkAndRefusesAnythingElse() throws Exception {
        assertThat(ManifestCodec.read(manifest("")).chunks().get(0).truncateFirst()).isFalse();
        assertThat(ManifestCodec.read(manifest(",\"truncate_first\":true")).chunks().get(0).truncateFirst()).isTrue();
        assertThatThrownBy(() -> ManifestCodec.read(manifest(",\"truncate_first\":\"yes\""))).isInstanceOf(
                IOException.class).hasMessage("manifest field \"truncate_first\" of \"chunk-000001.jsonl\" is not true");
        assertThatThrownBy(() -> ManifestCodec.read(manifest(",\"truncate_first\":false"))).isInstanceOf(
                IOException.class);
        byte[] written = ManifestCodec.write(ManifestCodec.read(manifest(",\"truncate_first\":true")));
        assertThat(new String(written, StandardCharsets.UTF_8)).containsOnlyOnce("\"truncate_first\" : true");
        assertThat(new String(ManifestCodec.write(ManifestCodec.read(manifest(""))), StandardCharsets.UTF_8))
                .as("absent when false, so manifests without a TRUNCATE keep their bytes")
                .doesNotContain("truncate_first");
    }

    private static byte[] manifest(String mark) {
        return ("{\"format\":\"exportdesk-manifest/1\",\"contract\":\"items\",\"contract_version\":1,"
                + "\"partner\":\"acme\",\"run_id\":\"r\",\"sequence\":5,\"mode\":\"incremental\","
                + "\"created_at\":\"2026-12-05T10:00:00Z\",\"previous_manifest_sha256\":null,\"upper_bound\":\"0/1\","
                + "\"file_format\":\"jsonl\",\"compression\":\"none\",\"columns\":[\"id\"],\"key_columns\":[\"id\"],"
                + "\"cursor_columns\":[],\"rows\":0,\"chunks\":[{\"file\":\"chunk-000001.jsonl\",\"rows\":0,"
                + "\"deletes\":0,\"bytes\":0,\"sha256\":\"a\",\"content_sha256\":\"b\",\"cursor_from\":[\"0/1\"],"
                + "\"cursor_to\":[\"0/1\"],\"schema_fingerprint\":\"f\"" + mark + "}]}").getBytes(StandardCharsets.UTF_8);
    }
}
