package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code masking} object and {@code row_filter} array: what parses, how it is written, and each error's path. */
class MaskingCodecTest {
    private static final String BASE = """
            {"name": "people", "partner": "acme", "source": "crm", "table": "people",
             "key_columns": ["id"], "cursor_columns": ["updated_at"],
             "destination": {"type": "folder", "path": "/srv/drop"}, %s}
            """;

    private static Contract parse(String extra) {
        return ContractCodec.parse(BASE.formatted(extra), "people.json");
    }

    private static Map<String, String> errors(String extra) {
        try {
            parse(extra);
        } catch (ContractValidationException e) {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            e.errors().forEach(v -> out.put(v.path(), v.message()));
            return out;
        }
        throw new AssertionError("the contract was accepted: " + extra);
    }

    @Test
    void aPolicyParsesAndWritesBackToTheSameCanonicalText() {
        Contract c = parse("""
                "masking": {"hmac_secret": "acme-pseudonyms", "columns": {"email": "hmac_sha256", "id": "sha256",
                  "name": "redact", "ssn": "drop", "zip": "truncate(3)", "note": "null"}},
                "row_filter": [{"column": "region", "operator": "in", "values": ["EU", "UK"]},
                  {"column": "score", "operator": ">=", "value": 2.5}, {"column": "age", "operator": "<", "value": 70},
                  {"column": "gone", "operator": "is_null"}, {"column": "vip", "operator": "=", "value": true}]""");
        MaskingPolicy p = c.masking();
        assertThat(p.columns()).containsEntry("zip", new ColumnMask(ColumnMask.Kind.TRUNCATE, 3))
                .containsEntry("ssn", new ColumnMask(ColumnMask.Kind.DROP, 0)).hasSize(6);
        assertThat(p.rowFilter().terms()).extracting(RowFilter.Term::operator).containsExactly(RowFilter.Operator.IN,
                RowFilter.Operator.GE, RowFilter.Operator.LT, RowFilter.Operator.IS_NULL, RowFilter.Operator.EQ);
        assertThat(p.rowFilter().terms().get(2).values()).containsExactly(70L);

        String written = ContractCodec.write(c);
        Contract again = ContractCodec.parse(written, "again.json");
        assertThat(again.masking()).isEqualTo(p);
        assertThat(ContractCodec.write(again)).isEqualTo(written);
        assertThat(again.masking().fingerprint()).isEqualTo(p.fingerprint()).hasSize(64);
        assertThat(parse("\"masking\": {\"columns\": {\"name\": \"redact\"}}").masking().fingerprint())
                .isNotEqualTo(p.fingerprint());
        assertThat(parse("\"format\": \"jsonl\"").masking()).isSameAs(MaskingPolicy.NONE);
    }

    @Test
    void keyAndCursorColumnsTakeOnlyDeterministicTransforms() {
        Map<String, String> e = errors("""
                "masking": {"columns": {"id": "redact", "updated_at": "truncate(4)"}}""");
        assertThat(e.get("$.masking.columns.id")).contains("\"id\" is a key column", "hmac_sha256 or sha256");
        assertThat(e.get("$.masking.columns.updated_at")).contains("cursor column");
        assertThat(parse("\"masking\": {\"columns\": {\"id\": \"sha256\", \"updated_at\": \"sha256\"}}").masking()
                .columns()).hasSize(2);
    }

    @Test
    void badTransformsAndSecretsAreNamedByField() {
        Map<String, String> e = errors("""
                "masking": {"columns": {"email": "hmac_sha256", "zip": "truncate(0)", "name": "rot13",
                  "note": "truncate(99999999)", "x": 7}}""");
        assertThat(e.get("$.masking.hmac_secret")).contains("is required");
        assertThat(e.get("$.masking.columns.zip")).contains("between 1 and");
        assertThat(e.get("$.masking.columns.name")).contains("must be one of").contains("rot13");
        assertThat(e.get("$.masking.columns.note")).contains("must be one of");
        assertThat(e.get("$.masking.columns.x")).contains("transform name");

        assertThat(errors("\"masking\": {\"hmac_secret\": \"k\", \"columns\": {\"name\": \"redact\"}}"))
                .containsKey("$.masking.hmac_secret");
        assertThat(errors("\"masking\": {\"hmac_secret\": \"../etc/passwd\", \"columns\": {\"e\": \"hmac_sha256\"}}"))
                .containsKey("$.masking.hmac_secret");
        assertThat(errors("\"masking\": {\"columns\": {}}")).containsKey("$.masking.columns");
        assertThat(errors("\"masking\": {\"columns\": {\"e\": \"drop\"}, \"salt\": \"x\"}"))
                .containsKey("$.masking.salt");
    }

    @Test
    void maskedAndFilteredColumnsMustBeExported() {
        Map<String, String> e = errors("""
                "columns": ["id", "updated_at", "email"],
                "masking": {"columns": {"ssn": "drop"}},
                "row_filter": [{"column": "region", "operator": "=", "value": "EU"}]""");
        assertThat(e.get("$.masking.columns.ssn")).contains("not exported");
        assertThat(e.get("$.row_filter[0].column")).contains("not exported", "drop");
    }

    @Test
    void filterTermsAreCheckedOperatorByOperator() {
        Map<String, String> e = errors("""
                "row_filter": [{"column": "a", "operator": "LIKE", "value": "x%"},
                  {"column": "b", "operator": "="},
                  {"column": "c", "operator": "in", "value": "x"},
                  {"column": "d", "operator": "is_null", "value": 1},
                  {"column": "e", "operator": "=", "value": {"sql": "1=1"}},
                  {"column": "f", "operator": "not_in", "values": []},
                  {"column": "g", "operator": "=", "value": 1, "raw_sql": "TRUE"},
                  "region = 'EU'"]""");
        assertThat(e.get("$.row_filter[0].operator")).contains("must be one of");
        assertThat(e.get("$.row_filter[1].value")).contains("is required");
        assertThat(e.get("$.row_filter[2].values")).contains("is required");
        assertThat(e.get("$.row_filter[3].value")).contains("takes no literal");
        assertThat(e.get("$.row_filter[4].value")).contains("must be a string");
        assertThat(e.get("$.row_filter[5].values")).contains("1 to");
        assertThat(e.get("$.row_filter[6].raw_sql")).contains("unknown field");
        assertThat(e.get("$.row_filter[7]")).contains("must be an object");
        assertThat(errors("\"row_filter\": []")).containsKey("$.row_filter");
        assertThat(errors("\"row_filter\": \"region = 'EU'\"")).containsKey("$.row_filter");
    }

    @Test
    void aHostileLiteralIsKeptAsData() {
        Contract c = parse("""
                "row_filter": [{"column": "name", "operator": "!=", "value": "x' OR '1'='1"}]""");
        assertThat(c.masking().rowFilter().terms().get(0).values()).isEqualTo(List.of("x' OR '1'='1"));
    }
}
