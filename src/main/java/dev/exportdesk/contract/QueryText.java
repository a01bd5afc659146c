package dev.exportdesk.contract;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks that a contract's {@code query} stays inside the sub-query the engine wraps it in
 * ({@code SELECT … FROM (<query>) exportdesk_q}). The text is tokenized the way the source databases
 * read it — string literals, quoted identifiers, line and block comments — and must be one statement
 * with balanced parentheses, with no comment left open to swallow the wrapper's tail. Constructs the
 * supported dialects read differently (dollar quoting, backslash escapes, nested or {@code //}
 * comments, backtick or bracket identifiers) are refused rather than guessed at: a tokenizer that
 * sees a string where the database sees code is how an escape gets through.
 */
final class QueryText {
    private QueryText() {
    }

    /** Why the query cannot be wrapped safely, or empty when it can. */
    static Optional<String> problem(String query) {
        if (!query.strip().toLowerCase(Locale.ROOT).matches("(?s)(select|with)\\b.*")) {
            return Optional.of("must start with SELECT or WITH");
        }
        int depth = 0;
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            char next = i + 1 < n ? query.charAt(i + 1) : 0;
            if (c == '\'' || c == '"') {
                int end = closing(query, i, c);
                if (end < 0) {
                    return Optional.of(c == '\'' ? "has a string literal that is not closed"
                            : "has a quoted identifier that is not closed");
                }
                if (c == '\'' && query.substring(i, end).indexOf('\\') >= 0) {
                    return Optional.of("must not use backslashes in string literals (databases differ on "
                            + "whether they escape)");
                }
                i = end + 1;
                continue;
            }
            if (c == '-' && next == '-') {
                int end = query.indexOf('\n', i);
                if (end < 0) {
                    return Optional.of("must not end in a -- comment (it would swallow the end of the statement "
                            + "the query is wrapped in)");
                }
                if (query.substring(i, end).indexOf('\r') >= 0) {
                    return Optional.of("must end a -- comment with a plain line break");
                }
                i = end + 1;
                continue;
            }
            if (c == '/' && next == '*') {
                int end = query.indexOf("*/", i + 2);
                if (end < 0) {
                    return Optional.of("has a /* comment that is not closed");
                }
                if (query.substring(i + 2, end).contains("/*")) {
                    return Optional.of("must not nest /* comments");
                }
                i = end + 2;
                continue;
            }
            if (c == '/' && next == '/') {
                return Optional.of("must not use // comments; use -- or /* */");
            }
            switch (c) {
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) {
                        return Optional.of("has a ')' without its '(' at offset " + i
                                + " (the query must be one self-contained SELECT)");
                    }
                }
                case ';' -> {
                    return Optional.of("must be a single SELECT statement without ';'");
                }
                case '$', '`', '[', ']', '\\' -> {
                    return Optional.of("must not use '" + c + "' outside a string literal");
                }
                default -> {
                }
            }
            i++;
        }
        return depth == 0 ? Optional.empty()
                : Optional.of("has " + depth + " '(' without a matching ')'");
    }

    /** The index of the quote closing the one at {@code start} ({@code ''} and {@code ""} are escapes), or -1. */
    private static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }
}
