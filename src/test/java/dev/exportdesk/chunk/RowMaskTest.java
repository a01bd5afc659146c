package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The mask on single rows: each transform's value, the filter's comparisons and NULL rule, the delete's shape, CSV. */
class RowMaskTest {
    private static final String KEY = "k".repeat(32);
    private static final SourceSchema SCHEMA = new SourceSchema("t", List.of(
            col("id", ValueKind.INTEGER, Types.BIGINT), col("email", ValueKind.STRING, Types.VARCHAR),
            col("name", ValueKind.STRING, Types.VARCHAR), col("amount", ValueKind.DECIMAL, Types.NUMERIC),
            col("seen", ValueKind.TIMESTAMP_TZ, Types.TIMESTAMP_WITH_TIMEZONE),
            col("secret", ValueKind.STRING, Types.VARCHAR)), new int[] {4, 0}, new int[] {0}, -1, "f");

    private static ColumnInfo col(String name, ValueKind kind, int type) {
        return new ColumnInfo(name, name, type, kind.name().toLowerCase(), true, kind);
    }

    private static RowMask mask(String policy) {
        Contract c = ContractCodec.parse("""
                {"name": "t", "partner": "acme", "source": "s", "table": "t", "key_columns": ["id"],
                 "cursor_columns": ["seen"], "destination": {"type": "folder", "path": "/d"}, %s}
                """.formatted(policy), "t.json");
        Function<String, String> vault = name -> KEY;
        return RowMask.of(c, SCHEMA, vault);
    }

    private static CapturedRow row(Object... values) {
        return new CapturedRow(values, false);
    }

    @Test
    void eachTransformGivesItsDocumentedValue() {
        RowMask m = mask("""
                "masking": {"hmac_secret": "k", "columns": {"email": "hmac_sha256", "name": "truncate(2)",
                  "amount": "redact", "secret": "drop", "id": "sha256"}}""");
        CapturedRow out = m.masker().apply(row(42L, "a@b.c", "😀é-rest", null, "2024-03-01T12:00:00.000000Z", "s3"));
        assertThat(m.names()).containsExactly("id", "email", "name", "amount", "seen");
        assertThat(out.values()).containsExactly(
                "73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049", // sha256("42")
                Hashing.hex(hmac("a@b.c")), "😀é", "[redacted]", "2024-03-01T12:00:00.000000Z");
        assertThat(m.masker().apply(row(1L, null, null, "1", "x", null)).values()[1]).isNull();
        assertThat(m.orderKept()).isFalse();
        assertThat(m.delivered().keyIndexes()).containsExactly(0);
    }

    @Test
    void theFilterComparesByTypeAndNullMatchesOnlyIsNull() {
        RowMask m = mask("""
                "row_filter": [{"column": "amount", "operator": ">=", "value": 12.5},
                  {"column": "seen", "operator": "<", "value": "2024-03-01T13:00:00+02:00"},
                  {"column": "name", "operator": "not_in", "values": ["x' OR '1'='1"]}]""");
        assertThat(m.deletes(row(1L, "e", "n", "12.50", "2024-03-01T10:59:59.999999Z", null))).isFalse();
        assertThat(m.deletes(row(1L, "e", "n", "12.49", "2024-03-01T10:00:00.000000Z", null))).isTrue();
        assertThat(m.deletes(row(1L, "e", "n", "13", "2024-03-01T11:00:00.000000Z", null))).as("13:00+02 is 11:00Z")
                .isTrue();
        assertThat(m.deletes(row(1L, "e", null, "13", "2024-03-01T10:00:00.000000Z", null))).as("NULL not_in …")
                .isTrue();
        assertThat(m.deletes(row(1L, "e", "x' OR '1'='1", "13", "2024-03-01T10:00:00.000000Z", null))).isTrue();
    }

    @Test
    void aRowOutsideTheFilterKeepsOnlyKeyAndCursor() {
        RowMask m = mask("""
                "masking": {"hmac_secret": "k", "columns": {"id": "hmac_sha256", "name": "redact"}},
                "row_filter": [{"column": "email", "operator": "is_not_null"}]""");
        CapturedRow out = m.masker().apply(row(7L, null, "n", "1", "2024-03-01T10:00:00.000000Z", "s"));
        assertThat(out.delete()).isTrue();
        assertThat(out.values()).containsExactly(Hashing.hex(hmac("7")), null, null, null,
                "2024-03-01T10:00:00.000000Z", null);
        assertThat(m.masker().key(new Object[] {7L})).containsExactly(Hashing.hex(hmac("7")));
    }

    @Test
    void csvLeavesDroppedColumnsOutOfHeaderAndRecords() {
        RowMask m = mask("\"format\": \"csv\", \"masking\": {\"columns\": {\"secret\": \"drop\", \"email\": \"null\"}}");
        RowEncoder e = RowEncoder.of(dev.exportdesk.contract.FileFormat.CSV, m);
        RowBuffer b = new RowBuffer();
        e.encode(row(1L, "e@x", "n", "2", "2024-03-01T10:00:00.000000Z", "hidden"), b);
        assertThat(new String(e.header(), StandardCharsets.UTF_8)).isEqualTo("id,email,name,amount,seen,_op\r\n");
        assertThat(new String(b.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("1,,n,2,2024-03-01T10:00:00.000000Z,upsert\r\n");
    }

    @Test
    void aKeylessMaskNamesColumnsButNeverPseudonymises() {
        Contract c = ContractCodec.parse("""
                {"name": "t", "partner": "acme", "source": "s", "table": "t", "key_columns": ["id"],
                 "destination": {"type": "folder", "path": "/d"},
                 "masking": {"hmac_secret": "k", "columns": {"email": "hmac_sha256", "secret": "drop"}}}""", "t");
        RowMask keyless = RowMask.keyless(c, SCHEMA);
        assertThat(keyless.names()).doesNotContain("secret");
        assertThatThrownBy(() -> keyless.masker().apply(row(1L, "e", "n", "1", "x", "s")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RowMask.of(c, SCHEMA, name -> "short"))
                .hasMessageContaining("$.masking.hmac_secret").hasMessageNotContaining("short\"");
    }

    private static byte[] hmac(String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
