package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code parquet} object: written only when not the default, validated with its JSON path. */
class ParquetOptionsTest {
    private static String with(String format, String extra) {
        return """
                {"name": "lake", "partner": "acme",
                 "source": {"name": "shop", "jdbc_url": "jdbc:h2:mem:x", "user": "sa", "password_env": "SHOP_PW"},
                 "table": "orders", "key_columns": ["id"], "cursor_columns": ["updated_at"],
                 "format": "%s", "destination": {"type": "folder", "path": "/srv/drop"}%s}
                """.formatted(format, extra);
    }

    @Test
    void theDefaultIsNotWrittenAndAnotherRoundTrips() {
        Contract plain = ContractCodec.parse(with("parquet", ""), "plain.json");
        assertThat(plain.parquet()).isEqualTo(ParquetOptions.DEFAULT);
        assertThat(plain.fileSuffix()).as("pages compress inside the file").isEqualTo(".parquet");
        assertThat(ContractCodec.write(plain)).contains("\"format\" : \"parquet\"").doesNotContain("row_group");
        Contract sized = ContractCodec.parse(with("parquet", ", \"parquet\": {\"row_group_rows\": 5000}"), "s.json");
        assertThat(sized.parquet()).isEqualTo(new ParquetOptions(5000, ParquetOptions.DEFAULT.rowGroupBytes()));
        Contract again = ContractCodec.parse(ContractCodec.write(sized), "again.json");
        assertThat(again.parquet()).isEqualTo(sized.parquet());
        assertThat(ContractCodec.write(again)).isEqualTo(ContractCodec.write(sized));
    }

    @Test
    void badOptionsNameTheirField() {
        assertThatThrownBy(() -> ContractCodec.parse(with("parquet",
                ", \"parquet\": {\"row_group_bytes\": 1024, \"row_group_rows\": 10000001}"), "bad.json"))
                .hasMessageContaining("$.parquet.row_group_bytes: must be between 65536 and 536870912 (got 1024)")
                .hasMessageContaining("$.parquet.row_group_rows: must be between 1 and 10000000");
        assertThatThrownBy(() -> ContractCodec.parse(with("csv", ", \"parquet\": {}"), "csv.json"))
                .hasMessageContaining("$.parquet: Parquet options apply only with \"format\": \"parquet\"");
        assertThatThrownBy(() -> ContractCodec.parse(with("parquet", ", \"csv\": {\"header\": false}"), "p.json"))
                .hasMessageContaining("$.csv: CSV options apply only with \"format\": \"csv\"");
    }
}
