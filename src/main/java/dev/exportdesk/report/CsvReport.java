package dev.exportdesk.report;

import dev.exportdesk.text.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report as one RFC 4180 table, one row per chunk (the correction lineage columns last, so
 * readers of the older columns by position are unaffected). Every cell that a spreadsheet would read as
 * a formula — starting with {@code = + - @}, a tab, a carriage return or NUL — is prefixed with a
 * single quote (OWASP "CSV injection"), then quoted when needed.
 */
public final class CsvReport {
    static final List<String> HEADER = List.of("contract", "run", "file", "rows", "sha256", "delivery",
            "classification", "source_rows", "changed", "missing", "late", "keys", "detail", "checkpoint_root",
            "corrects", "corrected_by");

    private CsvReport() {
    }

    public static byte[] write(AuditReport r) {
        StringBuilder sb = new StringBuilder();
        row(sb, HEADER);
        String root = r.checkpoint() == null ? "" : r.checkpoint().rootHex();
        for (AuditReport.ChunkLine c : r.chunks()) {
            List<String> keys = r.keys().stream().filter(k -> k.sequence() == c.sequence() && k.file().equals(c.file()))
                    .map(k -> k.kind() + " " + k.key()).limit(50).toList();
            row(sb, List.of(c.contract(), Long.toString(c.sequence()), c.file(), Long.toString(c.rows()), c.sha256(),
                    c.delivery(), c.classification(), c.sourceRows() == null ? "" : c.sourceRows().toString(),
                    Long.toString(c.changed()), Long.toString(c.missing()), Long.toString(c.late()),
                    String.join("; ", keys), c.detail() == null ? "" : c.detail(), root,
                    c.corrects() == null ? "" : c.corrects().text(),
                    String.join("; ", c.correctedBy().stream().map(AuditReport.Lineage::text).toList())));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            // source values and partner text end up here: a viewer (terminal, spreadsheet) must not obey them
            sb.append(quote(Text.safeMultiline(neutralise(cells.get(i)))));
        }
        sb.append("\r\n");
    }

    /** Prefixes a cell that could start a formula with a single quote. */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\0' ? "'" + cell : cell;
    }

    static String quote(String cell) {
        boolean needs = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0;
        return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
