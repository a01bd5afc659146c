package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code capture} field: cursor capture stays the default and leaves every existing contract's
 * canonical text as it was; a logical capture names a publication and a slot by allow-listed names,
 * says what it does not combine with, and is refused at import until runs support it.
 */
class CaptureSpecTest {
    private static final String BASE = """
            {"name": "orders-log", "partner": "acme", "source": "shop", "table": "orders", "key_columns": ["id"],
             "destination": {"type": "folder", "path": "/srv/drop"}%s}
            """;

    private static String with(String extra) {
        return BASE.formatted(extra);
    }

    private static List<String> errors(String json) {
        try {
            ContractCodec.parse(json, "c.json");
        } catch (ContractValidationException e) {
            return e.errors().stream().map(ValidationError::toString).toList();
        }
        return List.of();
    }

    /** The canonical texts of the shipped examples, written before the capture field existed. */
    @Test
    void existingContractsKeepTheirCanonicalTextByteForByte() throws Exception {
        try (var files = Files.list(Path.of("examples"))) {
            List<Path> examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(examples).hasSizeGreaterThan(3);
            for (Path example : examples) {
                String name = example.getFileName().toString().replace(".json", ".canonical.json");
                String before = Files.readString(Path.of("src/test/resources/contract-canonical", name));
                Contract c = ContractCodec.parse(Files.readString(example), example.toString());
                assertThat(c.capture()).isEqualTo(CaptureSpec.CURSOR);
                assertThat(ContractCodec.write(c)).as(example.toString()).isEqualTo(before);
            }
        }
    }

    @Test
    void anExplicitCursorCaptureIsTheDefaultAndWritesNothing() {
        Contract absent = ContractCodec.parse(with(""), "a");
        Contract explicit = ContractCodec.parse(with(", \"capture\": {\"mode\": \"cursor\"}"), "b");
        assertThat(explicit).isEqualTo(absent);
        assertThat(ContractCodec.write(explicit)).isEqualTo(ContractCodec.write(absent)).doesNotContain("capture");
    }

    @Test
    void aLogicalCaptureRoundTripsToTheSameCanonicalText() {
        Contract c = ContractCodec.parse(with(", \"capture\": {\"mode\": \"logical\", \"publication\": \"orders_pub\", "
                + "\"slot\": \"exportdesk_orders\"}, \"soft_delete_column\": \"deleted\""), "c");
        assertThat(c.capture()).isEqualTo(new CaptureSpec(CaptureSpec.Mode.LOGICAL, "orders_pub",
                "exportdesk_orders"));
        assertThat(c.incremental()).isFalse();
        String canonical = ContractCodec.write(c);
        assertThat(canonical).contains("\"capture\" : {\n    \"mode\" : \"logical\",\n    \"publication\" : "
                + "\"orders_pub\",\n    \"slot\" : \"exportdesk_orders\"\n  }").doesNotContain("late_data");
        assertThat(ContractCodec.write(ContractCodec.parse(canonical, "again"))).isEqualTo(canonical);
    }

    @Test
    void namesAreAllowListedAndEachErrorNamesItsField() {
        assertThat(errors(with(", \"capture\": {\"mode\": \"logical\"}")))
                .containsExactly("$.capture.publication: is required", "$.capture.slot: is required");
        assertThat(errors(with(", \"capture\": {\"mode\": \"logical\", \"publication\": \"Orders Pub\", "
                + "\"slot\": \"x'; DROP_REPLICATION_SLOT y\"}")))
                .hasSize(2).allSatisfy(e -> assertThat(e).contains("must be 1-63 lowercase letters"))
                .anySatisfy(e -> assertThat(e).startsWith("$.capture.publication"))
                .anySatisfy(e -> assertThat(e).startsWith("$.capture.slot"));
        assertThat(errors(with(", \"capture\": {\"mode\": \"logical\", \"publication\": \"p\", \"slot\": \""
                + "s".repeat(64) + "\"}"))).singleElement().asString().startsWith("$.capture.slot");
        assertThat(errors(with(", \"capture\": {\"mode\": \"logical\", \"publication\": \"p\", \"slot\": \"1s\"}")))
                .singleElement().asString().startsWith("$.capture.slot");
        assertThat(errors(with(", \"capture\": {\"mode\": \"wal\"}"))).singleElement().asString()
                .startsWith("$.capture.mode: must be one of cursor, logical");
        assertThat(errors(with(", \"capture\": {\"publication\": \"p\"}"))).singleElement().asString()
                .isEqualTo("$.capture.mode: is required (\"cursor\" or \"logical\")");
        assertThat(errors(with(", \"capture\": {\"mode\": \"cursor\", \"slot\": \"s\"}"))).singleElement()
                .asString().isEqualTo("$.capture.slot: only a \"logical\" capture takes a slot");
        assertThat(errors(with(", \"capture\": {\"mode\": \"logical\", \"publication\": \"p\", \"slot\": \"s\", "
                + "\"plugin\": \"wal2json\"}"))).singleElement().asString().startsWith("$.capture.plugin");
        assertThat(errors(with(", \"capture\": \"logical\""))).singleElement().asString()
                .isEqualTo("$.capture: must be an object");
    }

    @Test
    void aLogicalCaptureSaysWhatItDoesNotCombineWith() {
        String logical = ", \"capture\": {\"mode\": \"logical\", \"publication\": \"p\", \"slot\": \"s\"}";
        assertThat(errors(with(logical + ", \"cursor_columns\": [\"updated_at\"], \"late_data\": {\"lookback\": \"5m\"}")))
                .containsExactlyInAnyOrder(
                        "$.cursor_columns: a logical capture takes every change from the log and needs no cursor; "
                                + "remove \"cursor_columns\"",
                        "$.late_data: late data is a cursor capture's concern (the log gives every committed change "
                                + "in commit order); remove \"late_data\"");
        String query = BASE.replace("\"table\": \"orders\"", "\"query\": \"SELECT * FROM orders\"").formatted(logical);
        assertThat(errors(query)).singleElement().asString()
                .isEqualTo("$.query: a logical capture reads a table from the log; give \"table\" instead of \"query\"");
        assertThat(errors(with(logical + ", \"backfill\": {\"max_workers\": 2}"))).singleElement().asString()
                .startsWith("$.backfill: a logical capture's table copy is read by one worker");
    }
}
