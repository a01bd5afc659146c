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
     * The first character {@link #safe} (or, with {@code multiline}, {@link #safeMultiline} plus CR)
     * would replace, as "U+001B at offset 12", or null when there is none: for input that should be
     * refused rather than cleaned.
     */
    public static String firstUnsafe(String s, boolean multiline) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c) && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
                return String.format("U+%04X at offset %d", (int) c, i);
            }
        }
        return null;
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
