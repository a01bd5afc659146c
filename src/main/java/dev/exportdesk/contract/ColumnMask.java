package dev.exportdesk.contract;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one exported column becomes for its partner ({@code masking.columns}, docs/contracts.md):
 * {@code hmac_sha256} (keyed by the partner's masking secret), {@code sha256}, {@code redact},
 * {@code null}, {@code truncate(n)} or {@code drop}.
 */
public record ColumnMask(Kind kind, int length) {
    /** What {@code redact} writes in place of every non-null value. */
    public static final String REDACTED = "[redacted]";
    static final int MAX_TRUNCATE = 10_000;
    private static final Pattern TRUNCATE = Pattern.compile("truncate\\((\\d{1,6})\\)");

    public enum Kind {
        HMAC_SHA256("hmac_sha256"), SHA256("sha256"), REDACT("redact"), NULL("null"), TRUNCATE("truncate"),
        DROP("drop");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }
    }

    /**
     * Whether equal inputs always give equal outputs that differ for different inputs (as far as a
     * hash can tell): the only transforms a key or cursor column may take, so keys stay keys and
     * cursors still tell rows apart.
     */
    public boolean deterministic() {
        return kind == Kind.HMAC_SHA256 || kind == Kind.SHA256;
    }

    public String text() {
        return kind == Kind.TRUNCATE ? "truncate(" + length + ")" : kind.jsonName;
    }

    /** The transform spelled {@code text}, or empty with {@code problem[0]} saying why. */
    static Optional<ColumnMask> parse(String text, String[] problem) {
        for (Kind k : Kind.values()) {
            if (k != Kind.TRUNCATE && k.jsonName.equals(text)) {
                return Optional.of(new ColumnMask(k, 0));
            }
        }
        Matcher m = TRUNCATE.matcher(text);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= MAX_TRUNCATE) {
                return Optional.of(new ColumnMask(Kind.TRUNCATE, n));
            }
            problem[0] = "truncate(n) keeps the first n characters: n must be between 1 and " + MAX_TRUNCATE
                    + " (got " + n + ")";
            return Optional.empty();
        }
        problem[0] = "must be one of hmac_sha256, sha256, redact, null, truncate(n) or drop (got \""
                + JsonFields.quote(text) + "\")";
        return Optional.empty();
    }
}
