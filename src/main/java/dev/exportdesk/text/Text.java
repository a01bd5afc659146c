package dev.exportdesk.text;

/**
 * Makes untrusted text (partner receipts, delivery contents, source values and errors, contract
 * descriptions) safe to print. A terminal obeys escape sequences, and bidi overrides make a line
 * read differently from what it holds, so before such text reaches a terminal, a log line, the
 * console or a report: C0 and C1 controls (ESC included, which disarms every ANSI sequence), DEL,
 * and the bidi embedding, override and isolate characters become U+FFFD. Tabs and line breaks are
 * kept only where the caller asks for multi-line text.
 */
public final class Text {
    private static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    /** One line: every control character, including tab and line breaks, is replaced. */
    public static String safe(String s) {
        return clean(s, false);
    }

    /** Multi-line text (messages, descriptions): tab and {@code \n} are kept, everything else as {@link #safe}. */
    public static String safeMultiline(String s) {
        return clean(s, true);
    }

    /**
     * A CSV cell that a spreadsheet will not run as a formula: {@link #safe} text, and a cell starting
     * with {@code = + - @} (or a tab or CR, which some spreadsheets skip first) gets a leading
     * apostrophe (OWASP's CSV injection advice).
     */
    public static String csvCell(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        char first = s.charAt(0);
        String prefix = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" : "";
        return prefix + safe(s);
    }

    private static String clean(String s, boolean multiline) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep = !unsafe(c) || multiline && (c == '\n' || c == '\t');
            if (!keep && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(keep ? c : REPLACEMENT);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
