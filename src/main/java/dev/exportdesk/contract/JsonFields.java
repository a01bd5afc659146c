package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.text.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed fields from a JSON object while collecting every problem with its JSON path, so a
 * contract's author sees all errors at once. Getters return null (or the default) after an error.
 */
final class JsonFields {
    /** Any string field without a limit of its own (the largest VARCHAR a contract value lands in). */
    static final int MAX_STRING = 2000;
    /** A column or table name. */
    static final int MAX_IDENTIFIER = 128;
    /** Column lists: PostgreSQL's own limit on a table's columns. */
    static final int MAX_LIST = 1600;
    private static final int QUOTE_CHARS = 80;
    private final List<ValidationError> errors;
    private final JsonNode node;
    private final String path;

    JsonFields(List<ValidationError> errors, JsonNode node, String path) {
        this.errors = errors;
        this.node = node;
        this.path = path;
    }

    String path(String field) {
        return path + "." + field;
    }

    void error(String field, String message) {
        errors.add(new ValidationError(path(field), message));
    }

    /** A problem with element {@code index} of array {@code field}. */
    void error(String field, int index, String message) {
        errors.add(new ValidationError(path(field) + "[" + index + "]", message));
    }

    /** Fields of {@code value}, a member of this object's {@code field} (an array element, a map entry's value). */
    JsonFields child(JsonNode value, String subPath) {
        return new JsonFields(errors, value, path(subPath));
    }

    /** The raw value of {@code field} (null when absent), for values of a shape of their own. */
    JsonNode raw(String field) {
        return has(field) ? node.get(field) : null;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    boolean isText(String field) {
        return has(field) && node.get(field).isTextual();
    }

    void rejectUnknown(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        String allowed = null;
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                if (allowed == null) {
                    allowed = String.join(", ", known.stream().sorted().toList());
                }
                error(quote(n), "unknown field (allowed: " + allowed + ")");
            }
        }
    }

    String string(String field, boolean required, Pattern pattern, String patternHint) {
        return string(field, required, pattern, patternHint, MAX_STRING);
    }

    /** As {@link #string(String, boolean, Pattern, String)}, at most {@code maxLength} characters. */
    String string(String field, boolean required, Pattern pattern, String patternHint, int maxLength) {
        if (!has(field)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        String s = v.asText();
        if (s.isBlank()) {
            error(field, "must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            error(field, "is " + s.length() + " characters long; the limit is " + maxLength);
            return null;
        }
        // contract text is printed in terminals, logs, the console and reports: no escape sequences or
        // bidi overrides; only the long free-text fields may span lines
        String unsafe = Text.firstUnsafe(s, maxLength > MAX_STRING);
        if (unsafe != null) {
            error(field, "contains a control or bidi-override character (" + unsafe + ")");
            return null;
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            error(field, patternHint + " (got \"" + quote(s) + "\")");
            return null;
        }
        return s;
    }

    List<String> stringList(String field, boolean required, boolean nonEmpty) {
        if (!has(field)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isArray()) {
            error(field, "must be an array of strings");
            return null;
        }
        if (nonEmpty && v.isEmpty()) {
            error(field, "must list at least one column");
            return null;
        }
        if (v.size() > MAX_LIST) {
            error(field, "lists " + v.size() + " entries; the limit is " + MAX_LIST);
            return null;
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                errors.add(new ValidationError(path(field) + "[" + i + "]", "must be a non-empty string"));
                ok = false;
            } else if (item.asText().length() > MAX_IDENTIFIER) {
                errors.add(new ValidationError(path(field) + "[" + i + "]", "is " + item.asText().length()
                        + " characters long; the limit is " + MAX_IDENTIFIER));
                ok = false;
            } else if (Text.firstUnsafe(item.asText(), false) != null) {
                errors.add(new ValidationError(path(field) + "[" + i + "]", "contains a control or bidi-override "
                        + "character (" + Text.firstUnsafe(item.asText(), false) + ")"));
                ok = false;
            } else if (!seen.add(item.asText())) {
                errors.add(new ValidationError(path(field) + "[" + i + "]", "repeats \"" + quote(item.asText())
                        + "\""));
                ok = false;
            } else {
                out.add(item.asText());
            }
        }
        return ok ? out : null;
    }

    /** A value echoed in an error: printable and short, so the message stays a message. */
    static String quote(String value) {
        String safe = Text.safe(value);
        return safe.length() <= QUOTE_CHARS ? safe : safe.substring(0, QUOTE_CHARS) + "…";
    }

    long integer(String field, long defaultValue, long min, long max) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = node.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            error(field, "must be a whole number");
            return defaultValue;
        }
        long n = v.asLong();
        if (n < min || n > max) {
            error(field, "must be between " + min + " and " + max + " (got " + n + ")");
            return defaultValue;
        }
        return n;
    }

    boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            error(field, "must be true or false");
            return false;
        }
        return v.asBoolean();
    }

    double decimal(String field, double defaultValue, double min, double max) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            error(field, "must be a number");
            return defaultValue;
        }
        double n = v.asDouble();
        if (n < min || n > max) {
            error(field, "must be between " + min + " and " + max + " (got " + n + ")");
            return defaultValue;
        }
        return n;
    }

    Duration duration(String field, Duration defaultValue, Duration min, Duration max) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            error(field, "must be a duration string such as \"30s\", \"15m\" or \"PT15M\"");
            return defaultValue;
        }
        try {
            Duration d = DurationText.parse(v.asText());
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                error(field, "must be between " + DurationText.format(min) + " and " + DurationText.format(max)
                        + " (got " + v.asText() + ")");
                return defaultValue;
            }
            return d;
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return defaultValue;
        }
    }

    <E extends Enum<E>> E choice(String field, Class<E> type, E defaultValue, java.util.function.Function<E, String> name) {
        if (!has(field)) {
            return defaultValue;
        }
        JsonNode v = node.get(field);
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(name.apply(e));
            if (v.isTextual() && name.apply(e).equals(v.asText())) {
                return e;
            }
        }
        error(field, "must be one of " + String.join(", ", allowed) + " (got " + quote(v.toString()) + ")");
        return defaultValue;
    }

    /** A nested object, or null (with an error if it is required or not an object). */
    JsonFields object(String field, boolean required) {
        if (!has(field)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isObject()) {
            error(field, "must be an object");
            return null;
        }
        return new JsonFields(errors, v, path(field));
    }
}
