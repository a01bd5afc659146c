package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A contract's {@code csv} dialect, {@code parquet} options and its destination's {@code path_template}, in and out. */
final class LayoutCodec {
    private LayoutCodec() {
    }

    /** {@code destination.path_template} of an inline destination; absent: {@link PathTemplate#DEFAULT}. */
    static PathTemplate pathTemplate(JsonFields d, String partner, String contract, String table) {
        if (d == null || !d.has("path_template")) {
            return PathTemplate.DEFAULT;
        }
        String text = d.string("path_template", true, null, null, PathTemplate.MAX_TEMPLATE);
        if (text == null) {
            return PathTemplate.DEFAULT;
        }
        var problems = PathTemplate.problems(text, partner, contract, table);
        problems.forEach(p -> d.error("path_template", p));
        return problems.isEmpty() ? new PathTemplate(text) : PathTemplate.DEFAULT;
    }

    static void writePathTemplate(ObjectNode destination, PathTemplate template) {
        if (!template.isDefault()) { // absent otherwise, so existing contracts keep their canonical text
            destination.put("path_template", template.text());
        }
    }

    /** The {@code csv} object: only with {@code "format": "csv"}; absent: {@link CsvDialect#DEFAULT}. */
    static CsvDialect csv(JsonFields f, OutputFormat format) {
        JsonFields c = f.object("csv", false);
        if (c == null) {
            return CsvDialect.DEFAULT;
        }
        if (format != OutputFormat.CSV) {
            f.error("csv", "CSV options apply only with \"format\": \"csv\" (format is \"" + format.jsonName() + "\")");
            return CsvDialect.DEFAULT;
        }
        c.rejectUnknown(Set.of("delimiter", "quote", "escape", "header", "line_ending", "null"));
        CsvDialect d = CsvDialect.DEFAULT;
        char delimiter = character(c, "delimiter", d.delimiter(), true);
        char quote = character(c, "quote", d.quote(), false);
        // the escape defaults to the quote (RFC 4180 doubles it), whatever the quote is
        char escape = character(c, "escape", quote, false);
        boolean header = !c.has("header") || c.bool("header");
        CsvDialect.LineEnding ending = c.choice("line_ending", CsvDialect.LineEnding.class, d.lineEnding(),
                CsvDialect.LineEnding::jsonName);
        String nullText = nullText(c, d.nullText());
        if (delimiter == quote) {
            c.error(c.has("quote") ? "quote" : "delimiter", "the delimiter and the quote must differ ('" + delimiter
                    + "'), or no field could be read back");
        }
        if (escape == delimiter) {
            c.error("escape", "must differ from the delimiter ('" + delimiter + "')");
        }
        // written unquoted, where only the delimiter and the quote mean anything (the escape works inside quotes)
        for (char x : new char[] {delimiter, quote}) {
            if (nullText.indexOf(x) >= 0) {
                c.error("null", "must not contain the delimiter or the quote character ('" + x + "')");
                break;
            }
        }
        return new CsvDialect(delimiter, quote, escape, header, ending, nullText);
    }

    /** One printable ASCII character that is not a letter or digit (tab too, for a delimiter). */
    private static char character(JsonFields c, String field, char defaultValue, boolean tabAllowed) {
        JsonNode v = c.raw(field);
        if (v == null) {
            return defaultValue;
        }
        String s = v.isTextual() ? v.asText() : null;
        if (s == null || s.length() != 1) {
            c.error(field, "must be a string of exactly one character");
            return defaultValue;
        }
        char ch = s.charAt(0);
        boolean printable = ch > 0x20 && ch < 0x7f && !Character.isLetterOrDigit(ch);
        if (!printable && !(tabAllowed && ch == '\t')) {
            c.error(field, "must be one printable ASCII character that is not a letter, digit or space"
                    + (tabAllowed ? " (or a tab)" : "") + " (got U+" + String.format("%04X", (int) ch) + ")");
            return defaultValue;
        }
        return ch;
    }

    /** How NULL is spelled: may be empty (the default); short, printable ASCII, never a line break. */
    private static String nullText(JsonFields c, String defaultValue) {
        JsonNode v = c.raw("null");
        if (v == null) {
            return defaultValue;
        }
        if (!v.isTextual()) {
            c.error("null", "must be a string (\"\" for an empty field)");
            return defaultValue;
        }
        String s = v.asText();
        if (s.length() > CsvDialect.MAX_NULL) {
            c.error("null", "is " + s.length() + " characters long; the limit is " + CsvDialect.MAX_NULL);
            return defaultValue;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch <= 0x20 || ch >= 0x7f) {
                c.error("null", "may hold only printable ASCII characters, no spaces or line breaks (got U+"
                        + String.format("%04X", (int) ch) + ")");
                return defaultValue;
            }
        }
        return s;
    }

    /** The {@code parquet} object: only with {@code "format": "parquet"}; absent: {@link ParquetOptions#DEFAULT}. */
    static ParquetOptions parquet(JsonFields f, OutputFormat format) {
        JsonFields p = f.object("parquet", false);
        if (p == null) {
            return ParquetOptions.DEFAULT;
        }
        if (format != OutputFormat.PARQUET) {
            f.error("parquet", "Parquet options apply only with \"format\": \"parquet\" (format is \""
                    + format.jsonName() + "\")");
            return ParquetOptions.DEFAULT;
        }
        p.rejectUnknown(Set.of("row_group_rows", "row_group_bytes", "decimals"));
        ParquetOptions d = ParquetOptions.DEFAULT;
        int rows = (int) p.integer("row_group_rows", d.rowGroupRows(), ParquetOptions.MIN_ROWS, ParquetOptions.MAX_ROWS);
        long bytes = p.integer("row_group_bytes", d.rowGroupBytes(), ParquetOptions.MIN_BYTES, ParquetOptions.MAX_BYTES);
        return new ParquetOptions(rows, bytes, decimals(p));
    }

    /** {@code {"amount": {"precision": 12, "scale": 2}}}; whether each is a decimal column is checked at the source. */
    private static java.util.Map<String, ParquetOptions.Decimal> decimals(JsonFields p) {
        java.util.Map<String, ParquetOptions.Decimal> out = new java.util.TreeMap<>();
        com.fasterxml.jackson.databind.JsonNode node = p.raw("decimals");
        if (node == null) {
            return out;
        }
        if (!node.isObject() || node.size() > JsonFields.MAX_LIST) {
            p.error("decimals", "must be an object of at most " + JsonFields.MAX_LIST + " decimal columns, e.g. "
                    + "{\"amount\": {\"precision\": 12, \"scale\": 2}}");
            return out;
        }
        JsonFields d = p.child(node, "decimals");
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String column = e.getKey();
            String field = JsonFields.quote(column);
            if (column.isBlank() || column.length() > JsonFields.MAX_IDENTIFIER
                    || dev.exportdesk.text.Text.firstUnsafe(column, false) != null) {
                d.error(field, "must be a delivered column's name (1-" + JsonFields.MAX_IDENTIFIER
                        + " printable characters)");
                continue;
            }
            if (!e.getValue().isObject()) {
                d.error(field, "must be an object {\"precision\": 1-18, \"scale\": 0-precision}");
                continue;
            }
            JsonFields c = d.child(e.getValue(), field);
            c.rejectUnknown(Set.of("precision", "scale"));
            if (!c.has("precision") || !c.has("scale")) {
                c.error(c.has("precision") ? "scale" : "precision", "is required");
                continue;
            }
            int precision = (int) c.integer("precision", 1, 1, ParquetOptions.Decimal.MAX_PRECISION);
            int scale = (int) c.integer("scale", 0, 0, ParquetOptions.Decimal.MAX_PRECISION);
            if (scale > precision) {
                c.error("scale", "must not exceed the precision (" + precision + ")");
                continue;
            }
            out.put(column, new ParquetOptions.Decimal(precision, scale));
        }
        return out;
    }

    static void writeParquet(ObjectNode root, ParquetOptions p) {
        if (p.isDefault()) { // absent otherwise, so existing contracts keep their canonical text
            return;
        }
        ObjectNode o = root.putObject("parquet");
        o.put("row_group_rows", p.rowGroupRows());
        o.put("row_group_bytes", p.rowGroupBytes());
        if (!p.decimals().isEmpty()) {
            ObjectNode d = o.putObject("decimals");
            p.decimals().forEach((column, t) -> d.putObject(column).put("precision", t.precision())
                    .put("scale", t.scale()));
        }
    }

    static void writeCsv(ObjectNode root, CsvDialect d) {
        if (d.isDefault()) { // absent otherwise, so existing contracts keep their canonical text
            return;
        }
        d.write(root.putObject("csv"));
    }
}
