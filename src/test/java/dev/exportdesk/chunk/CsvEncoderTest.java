package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.contract.CsvDialect;
import dev.exportdesk.source.CapturedRow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CSV encoder's bytes, against the RFC 4180 rules written the plain way (a StringBuilder of
 * every field, then UTF-8), on every kind of field the fast path must recognise or decline.
 */
class CsvEncoderTest {
    private static final Object[][] ROWS = {
        {1L, "plain", "2024-05-01T10:15:30.000000Z", "12.50", true, 0.5, null},
        {-7L, "", "comma, inside", "quote \" inside", "cr\rlf\n", "ü€𝄞", "lone \ud800 surrogate"},
        {Long.MIN_VALUE, "tab\tand\u0001control", "NaN", false, Double.MAX_VALUE, "\"", ","},
        {null, null, null, null, null, null, null},
    };

    private static String reference(Object[] values, boolean delete) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (v != null) {
                String s = v.toString();
                boolean quote = s.isEmpty() || s.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
                sb.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
            sb.append(',');
        }
        return sb.append(delete ? "delete" : "upsert").append("\r\n").toString();
    }

    @Test
    void everyFieldIsWrittenAsTheRulesSay() {
        CsvEncoder encoder = new CsvEncoder(List.of("a", "b", "c", "d", "e", "f", "g"),
                dev.exportdesk.contract.CsvDialect.DEFAULT);
        RowBuffer out = new RowBuffer();
        for (Object[] values : ROWS) {
            for (boolean delete : new boolean[] {false, true}) {
                encoder.encode(new CapturedRow(values, delete), out);
                byte[] got = Arrays.copyOf(out.array(), out.length());
                assertThat(got).as(Arrays.toString(values))
                        .isEqualTo(reference(values, delete).getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(new String(encoder.header(), StandardCharsets.UTF_8)).isEqualTo("a,b,c,d,e,f,g,_op\r\n");
    }

    /** A dialect's rules written the plain way: {@code ;}, {@code '} quoted with a {@code \\} escape, NULL spelled NULL. */
    private static String dialectReference(Object[] values, boolean delete) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (v == null) {
                sb.append("NULL");
            } else {
                String s = v.toString();
                boolean quote = s.isEmpty() || s.equals("NULL")
                        || s.chars().anyMatch(c -> c == ';' || c == '\'' || c == '\\' || c == '\r' || c == '\n');
                sb.append(quote ? "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'" : s);
            }
            sb.append(';');
        }
        return sb.append(delete ? "delete" : "upsert").append("\n").toString();
    }

    @Test
    void aDialectsBytesFollowItsRules() {
        CsvEncoder encoder = new CsvEncoder(List.of("a", "b", "c", "d", "e", "f", "g"),
                new dev.exportdesk.contract.CsvDialect(';', '\'', '\\', false,
                        dev.exportdesk.contract.CsvDialect.LineEnding.LF, "NULL"));
        assertThat(encoder.header()).as("no header row").isEmpty();
        Object[][] more = {{"NULL", "a;b", "it's", "back\\slash", "comma, plain", "", "\"double\""}};
        RowBuffer out = new RowBuffer();
        for (Object[][] rows : new Object[][][] {ROWS, more}) {
            for (Object[] values : rows) {
                encoder.encode(new CapturedRow(values, false), out);
                assertThat(Arrays.copyOf(out.array(), out.length())).as(Arrays.toString(values))
                        .isEqualTo(dialectReference(values, false).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Integers and text the reader marked plain take shortcuts; in every dialect they must write
     * exactly what the general path writes for the same values' text unmarked, including the values a
     * dialect makes special (its delimiter, quote or escape inside, its NULL spelling, empty text).
     */
    @Test
    void theShortcutsWriteWhatTheGeneralPathWrites() {
        List<CsvDialect> dialects = List.of(CsvDialect.DEFAULT,
                new CsvDialect(';', '\'', '\\', true, CsvDialect.LineEnding.LF, "NULL"),
                new CsvDialect('-', '"', '"', false, CsvDialect.LineEnding.CRLF, ""),
                new CsvDialect('|', '\'', '^', true, CsvDialect.LineEnding.LF, "0"),
                new CsvDialect('\t', '"', '#', true, CsvDialect.LineEnding.LF, "-1"));
        Object[] values = {0L, -1L, 42L, Long.MIN_VALUE, "plain", "a,b", "a;b", "it's", "x-y", "a|b", "c^d", "e#f",
            "", "NULL", "0", "-1", "with space", "~!@$%&*()_+={}[]:<>?/."};
        for (CsvDialect dialect : dialects) {
            CsvEncoder encoder = new CsvEncoder(List.of("v"), dialect);
            RowBuffer out = new RowBuffer();
            for (Object v : values) {
                encoder.encode(new CapturedRow(new Object[] {v.toString()}, false, 0L), out); // as before the shortcuts
                byte[] general = Arrays.copyOf(out.array(), out.length());
                encoder.encode(new CapturedRow(new Object[] {v}, false, v instanceof String ? 1L : 0L), out);
                assertThat(new String(Arrays.copyOf(out.array(), out.length()), StandardCharsets.UTF_8))
                        .as(dialect + ": " + v).isEqualTo(new String(general, StandardCharsets.UTF_8));
            }
        }
    }
}
