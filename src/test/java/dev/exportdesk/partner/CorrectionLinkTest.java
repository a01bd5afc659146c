package dev.exportdesk.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner's check of a correction chunk's {@code corrects} link, on real run folders: a link to
 * a chunk the earlier run's manifest lists passes; every malformed or dangling link fails naming
 * the field. (A sender-made manifest with a wrong link would also fail the ledger check; this
 * check names the link itself.)
 */
class CorrectionLinkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RUN1 = "0b7f3c62-5d1e-4f44-9a51-3c2b1d0e9f10";

    @TempDir
    Path dir;

    private Path run2;

    @BeforeEach
    void earlierRun() throws Exception {
        Path run1 = Files.createDirectories(dir.resolve("run-000001"));
        Files.writeString(run1.resolve("manifest.json"), "{\"contract\":\"orders\",\"run_id\":\"" + RUN1
                + "\",\"sequence\":1,\"chunks\":[{\"file\":\"chunk-000001.jsonl.zst\"}]}");
        run2 = Files.createDirectories(dir.resolve("run-000002"));
    }

    private Item check(String mode, String corrects) throws Exception {
        JsonNode manifest = MAPPER.readTree("{\"contract\":\"orders\",\"sequence\":2,\"mode\":\"" + mode + "\"}");
        JsonNode chunk = MAPPER.readTree("{\"file\":\"chunk-000001.jsonl.zst\"" + (corrects == null ? ""
                : ",\"corrects\":" + corrects) + "}");
        return CorrectionLink.check(run2, "run-000002", manifest, chunk);
    }

    private static String link(String runId, Object sequence, String chunk) {
        return "{\"run_id\":\"" + runId + "\",\"sequence\":" + sequence + ",\"chunk\":\"" + chunk + "\"}";
    }

    @Test
    void aLinkToAChunkTheEarlierManifestListsPasses() throws Exception {
        Item ok = check("correction", link(RUN1, 1, "chunk-000001.jsonl.zst"));
        assertThat(ok.ok()).as(ok.detail()).isTrue();
        assertThat(ok.subject()).isEqualTo("chunk-000001.jsonl.zst (corrects)");
        assertThat(ok.detail()).isEqualTo("run 1 chunk-000001.jsonl.zst, listed in its manifest");
        assertThat(check("incremental", null)).as("ordinary chunks: nothing to check").isNull();
    }

    @Test
    void badLinksFailNamingTheField() throws Exception {
        assertThat(check("correction", null)).extracting(Item::ok, Item::detail)
                .containsExactly(false, "a chunk of a correction run must name the chunk it corrects "
                        + "(field \"corrects\" missing)");
        assertThat(check("incremental", link(RUN1, 1, "chunk-000001.jsonl.zst")).detail())
                .contains("only allowed in a correction run");
        assertThat(check("correction", link("not-a-uuid", 1, "chunk-000001.jsonl.zst")).detail())
                .startsWith("corrects.run_id");
        assertThat(check("correction", link(RUN1, 2, "chunk-000001.jsonl.zst")).detail())
                .startsWith("corrects.sequence 2 is not an earlier run");
        assertThat(check("correction", link(RUN1, "\"1\"", "chunk-000001.jsonl.zst")).detail())
                .startsWith("corrects.sequence");
        assertThat(check("correction", link(RUN1, 1, "../secret")).detail()).startsWith("corrects.chunk");
        assertThat(check("correction", link(RUN1, 1, "chunk-000009.jsonl.zst")).detail())
                .isEqualTo("run 1's manifest lists no chunk chunk-000009.jsonl.zst");
        assertThat(check("correction", link(RUN1.replace('0', '1'), 1, "chunk-000001.jsonl.zst")).detail())
                .contains("but run 1's manifest has run_id " + RUN1);
    }

    @Test
    void withoutTheEarlierFolderOnlyTheFormIsChecked() throws Exception {
        Files.delete(dir.resolve("run-000001/manifest.json"));
        Item item = check("correction", link(RUN1, 1, "chunk-000001.jsonl.zst"));
        assertThat(item.ok()).isTrue();
        assertThat(item.detail()).contains("link checked for form only");
    }
}
