package dev.exportdesk.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The partner's checks of a run under a path template and of CSV in a dialect, from the manifest alone. */
class TemplatedRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode manifest(String runDirectory) {
        ObjectNode m = JSON.createObjectNode().put("contract", "orders-to-acme").put("sequence", 7);
        if (runDirectory != null) {
            m.put("run_directory", runDirectory);
        }
        return m;
    }

    @Test
    void aTemplatedRunPassesWhereItsManifestSaysAndNowhereElse() {
        Path here = Path.of("/partner/inbox/acme/2026/12/orders-to-acme-000007");
        assertThat(RunIdentity.identity(here, "orders-to-acme-000007", manifest("acme/2026/12/orders-to-acme-000007"))
                .ok()).isTrue();
        for (String claimed : new String[] {"acme/2026/11/orders-to-acme-000007", "orders-to-acme-000007/x",
                "acme/2026/12/orders-to-acme-000008"}) {
            Item moved = RunIdentity.identity(here, "orders-to-acme-000007", manifest(claimed));
            assertThat(moved.ok()).as(claimed).isFalse();
            assertThat(moved.detail()).contains("a run moved from elsewhere");
        }
        for (String hostile : new String[] {"../../etc", "/partner/inbox/acme", "a//b", "", "a/./b", "a\\b"}) {
            Item bad = RunIdentity.identity(here, "x", manifest(hostile));
            assertThat(bad.ok()).as(hostile).isFalse();
            assertThat(bad.detail()).contains("is not a relative folder");
        }
        assertThat(RunIdentity.identity(here, "orders-to-acme-000007", manifest(null)).ok())
                .as("without run_directory the default layout is required").isFalse();
    }

    @Test
    void recordsAreCountedInTheManifestsDialect() throws IOException {
        ObjectNode m = JSON.createObjectNode().put("file_format", "csv");
        m.putObject("csv").put("delimiter", ";").put("quote", "'").put("escape", "\\").put("header", false)
                .put("line_ending", "lf").put("null", "");
        String text = "1;'two\nlines';upsert\n2;'it\\'s\n';upsert\n3;\"x;upsert\n";
        assertThat(RecordCount.of(m).count(in(text))).isEqualTo(3);
        ObjectNode rfc = JSON.createObjectNode().put("file_format", "csv");
        assertThat(RecordCount.of(rfc).count(in("a,_op\r\n1,\"x\r\n\"\"y\",upsert\r\n"))).isEqualTo(1);
        ((ObjectNode) m.get("csv")).put("quote", "ab");
        Assertions.assertThatThrownBy(() -> RecordCount.of(m)).hasMessageContaining("csv.quote");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
