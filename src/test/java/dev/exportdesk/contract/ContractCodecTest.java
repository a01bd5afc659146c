package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractCodecTest {

    @Test
    void everyErrorIsReportedAtOnceWithItsJsonPath() {
        String json = """
                {
                  "name": "Orders To ACME",
                  "partner": "acme",
                  "source": {"name": "shop", "jdbc_url": "postgres://x", "password": "hunter2"},
                  "table": "orders",
                  "query": "SELECT 1",
                  "key_columns": [],
                  "cursor_columns": ["updated_at", 7],
                  "format": "xml",
                  "compression": "zstd",
                  "compression_level": 42,
                  "chunk": {"max_rows": 0, "target_time": "soon"},
                  "destination": {"type": "folder", "path": "relative/dir"},
                  "late_data": {"safety_lag": "5s"},
                  "colour": "blue"
                }
                """;
        assertThatThrownBy(() -> ContractCodec.parse(json, "bad.json"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> {
                    List<String> paths = e.errors().stream().map(ValidationError::path).toList();
                    assertThat(paths).contains("$.name", "$.source.password", "$.source.jdbc_url", "$.table",
                            "$.key_columns", "$.cursor_columns[1]", "$.format", "$.compression_level",
                            "$.chunk.max_rows", "$.chunk.target_time", "$.destination.path", "$.colour");
                    assertThat(e.getMessage()).startsWith("bad.json is not a valid contract")
                            .doesNotContain("hunter2");
                });
    }

    @Test
    void aValidContractGetsDefaultsAndRoundTripsToTheSameCanonicalText() {
        String json = """
                {"name": "orders-to-acme", "partner": "acme",
                 "source": {"name": "shop", "jdbc_url": "jdbc:h2:mem:x", "user": "sa", "password_env": "SHOP_PW"},
                 "table": "orders", "key_columns": ["id"], "cursor_columns": ["updated_at"],
                 "destination": {"type": "folder", "path": "/srv/drop"},
                 "late_data": {"lookback": "PT20M"}, "schedule": {"interval": "1h"}}
                """;
        Contract c = ContractCodec.parse(json, "ok.json");
        assertThat(c.format()).isEqualTo(OutputFormat.JSONL);
        assertThat(c.compression()).isEqualTo(Compression.ZSTD);
        assertThat(c.compressionLevel()).isEqualTo(3);
        assertThat(c.lateData().lookback()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.lateData().safetyLag()).isEqualTo(LateDataPolicy.DEFAULT_SAFETY_LAG);
        assertThat(c.fileSuffix()).isEqualTo(".jsonl.zst");
        String canonical = ContractCodec.write(c);
        // an inline definition (the form before named connections) is stored as the connection's name
        assertThat(canonical).contains("\"lookback\" : \"20m\"").contains("\"source\" : \"shop\"")
                .doesNotContain("jdbc_url", "SHOP_PW");
        assertThat(ContractCodec.parse(canonical, "again").source()).isEqualTo(SourceRef.named("shop"));
        assertThat(ContractCodec.write(ContractCodec.parse(canonical, "again"))).isEqualTo(canonical);
    }

    @Test
    void pathsAndNamesAreAllowListed() {
        String json = """
                {"name": "../../etc", "partner": "a/b",
                 "source": {"name": "s", "jdbc_url": "jdbc:h2:mem:x?password=oops"},
                 "table": "t", "key_columns": ["id"],
                 "destination": {"type": "folder", "path": "/srv/drop"}}
                """;
        assertThatThrownBy(() -> ContractCodec.parse(json, "x"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(
                        e.errors().stream().map(ValidationError::path).toList())
                        .contains("$.name", "$.partner", "$.source.jdbc_url"));
    }

    @Test
    void brokenJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> ContractCodec.parse("{\n  \"name\": \"x\",,\n}", "broken.json"))
                .isInstanceOf(ContractValidationException.class).hasMessageContaining("line 2");
    }

    @Test
    void theShippedExamplesAreValid() throws Exception {
        try (var files = Files.list(Path.of("examples"))) {
            List<Path> contracts = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(contracts).isNotEmpty();
            for (Path p : contracts) {
                assertThat(ContractCodec.parse(Files.readString(p), p.toString()).name()).isNotBlank();
            }
        }
    }

    @Test
    void backfillSharesAreValidatedAndWrittenOnlyWhenNotTheDefault() {
        String base = """
                {"name": "orders-to-acme", "partner": "acme",
                 "source": {"name": "shop", "jdbc_url": "jdbc:h2:mem:x", "user": "sa", "password_env": "SHOP_PW"},
                 "table": "orders", "key_columns": ["id"], "cursor_columns": ["updated_at"],
                 "destination": {"type": "folder", "path": "/srv/drop"}%s}
                """;
        Contract serial = ContractCodec.parse(base.formatted(""), "serial.json");
        assertThat(serial.backfill()).isEqualTo(Backfill.SERIAL);
        assertThat(ContractCodec.write(serial)).doesNotContain("backfill");

        Contract shared = ContractCodec.parse(base.formatted(
                ", \"backfill\": {\"max_workers\": 3, \"segment_rows\": 250000}"), "shared.json");
        assertThat(shared.backfill()).isEqualTo(new Backfill(3, 250_000));
        assertThat(ContractCodec.parse(ContractCodec.write(shared), "again.json").backfill()).isEqualTo(shared.backfill());

        assertThatThrownBy(() -> ContractCodec.parse(base.formatted(
                ", \"backfill\": {\"max_workers\": 0, \"segment_rows\": 10, \"threads\": 4}"), "bad.json"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(
                        e.errors().stream().map(ValidationError::path).toList())
                        .containsExactlyInAnyOrder("$.backfill.max_workers", "$.backfill.segment_rows",
                                "$.backfill.threads"));
    }
}
