package dev.exportdesk.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code destination.path_template}: where under the destination root a run's folder goes; it must
 * hold {@code {contract}} and {@code {sequence}}, so no two runs share a folder. Only
 * allow-listed fields; the values that vary from run to run (date parts, sequence, version) are
 * digits, and the ones fixed by the contract are checked when it is parsed, so a template accepted
 * once resolves to a safe relative path for every run.
 */
public record PathTemplate(String text) {
    /** Today's layout: existing contracts keep their paths byte for byte. */
    public static final PathTemplate DEFAULT = new PathTemplate("{contract}/run-{sequence}");
    public static final Set<String> FIELDS = Set.of("partner", "contract", "table", "yyyy", "mm", "dd", "hh",
            "sequence", "contract_version");
    static final int MAX_TEMPLATE = 256;
    static final int MAX_DEPTH = 8;
    static final int MAX_PATH = 512;
    /** What a resolved segment must be: what every transport's relative-path check accepts. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._/-]*");

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** What one run contributes; {@code table} is null for a query contract. */
    public record Fields(String partner, String contract, String table, int contractVersion, long sequence,
                         Instant createdAt) {
    }

    /**
     * The run's folder, relative to the destination root. {@code createdAt} is the run's stored
     * creation time, so a resume or a retry, months later or on another machine, finds the same folder.
     */
    public String resolve(Fields f) {
        String path = substitute(f);
        Optional<String> problem = pathProblem(path);
        if (problem.isPresent()) { // parse-time checks make this unreachable; never write outside the root
            throw new IllegalStateException("path template " + text + " resolves to an unsafe path: " + problem.get());
        }
        return path;
    }

    private String substitute(Fields f) {
        ZonedDateTime t = f.createdAt().atZone(ZoneOffset.UTC);
        Matcher m = TOKEN.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "partner" -> f.partner();
                case "contract" -> f.contract();
                case "table" -> table(f.table());
                case "yyyy" -> String.format("%04d", t.getYear());
                case "mm" -> String.format("%02d", t.getMonthValue());
                case "dd" -> String.format("%02d", t.getDayOfMonth());
                case "hh" -> String.format("%02d", t.getHour());
                case "sequence" -> String.format("%06d", f.sequence());
                case "contract_version" -> Integer.toString(f.contractVersion());
                default -> throw new IllegalStateException("unknown path template field " + m.group(1));
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * A table name as a path: a schema-qualified name keeps its dot ({@code public.orders}); any other
     * character outside the segment alphabet (spaces, quotes, slashes, unicode) becomes {@code _}.
     */
    static String table(String table) {
        if (table == null) {
            throw new IllegalStateException("a query contract has no table");
        }
        StringBuilder sb = new StringBuilder(table.length());
        table.codePoints().forEach(c -> sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'
                || c == '_') ? (char) c : '_'));
        return sb.toString();
    }

    /** Every problem with {@code text} for a contract of these names (null table: a query contract). */
    static List<String> problems(String text, String partner, String contract, String table) {
        List<String> out = new ArrayList<>();
        if (text.length() > MAX_TEMPLATE) {
            out.add("is " + text.length() + " characters long; the limit is " + MAX_TEMPLATE);
            return out;
        }
        Matcher m = TOKEN.matcher(text);
        StringBuilder literal = new StringBuilder();
        int last = 0;
        boolean sequence = false;
        boolean named = false;
        while (m.find()) {
            literal.append(text, last, m.start()).append('x');
            last = m.end();
            String field = m.group(1);
            if (!FIELDS.contains(field)) {
                out.add("unknown field {" + JsonFields.quote(field) + "} (allowed: "
                        + String.join(", ", FIELDS.stream().sorted().map(n -> "{" + n + "}").toList()) + ")");
            }
            sequence |= field.equals("sequence");
            named |= field.equals("contract");
            if (field.equals("table") && table == null) {
                out.add("{table} needs a contract with \"table\"; a query contract has none");
            }
        }
        literal.append(text.substring(last));
        if (!LITERAL.matcher(literal).matches()) {
            out.add("literal text may hold only letters, digits, '.', '_', '-' and '/' between {fields} (got \""
                    + JsonFields.quote(text) + "\")");
        }
        if (!sequence) {
            out.add("must contain {sequence}, so that no two runs share a folder");
        }
        if (!named) {
            // contracts may share a destination: without the name, run 1 of one would overwrite run 1 of another
            out.add("must contain {contract}, so that runs of two contracts never share a folder");
        }
        if (out.isEmpty()) {
            // the parts that vary per run are digits: the widest values stand for every run
            String sample = new PathTemplate(text).substitute(new Fields(partner == null ? "p" : partner,
                    contract == null ? "c" : contract, table, 1, 999_999_999L, Instant.parse("2026-12-31T23:00:00Z")));
            pathProblem(sample).ifPresent(p -> out.add("resolves to \"" + JsonFields.quote(sample) + "\": " + p));
        }
        return out;
    }

    /** Why {@code path} is not a safe folder under the destination root, if it is not. */
    static Optional<String> pathProblem(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return Optional.of("must be a relative path under the destination root");
        }
        if (path.length() > MAX_PATH) {
            return Optional.of("is longer than " + MAX_PATH + " characters");
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return Optional.of("is deeper than " + MAX_DEPTH + " folders");
        }
        for (String s : segments) {
            if (s.isEmpty()) {
                return Optional.of("has an empty folder name (\"//\", or '/' at an end)");
            }
            if (s.equals(".") || s.equals("..")) {
                return Optional.of("has a \"" + s + "\" folder; a run stays under the destination root");
            }
            if (!SEGMENT.matcher(s).matches()) {
                return Optional.of("folder \"" + JsonFields.quote(s) + "\" must start with a letter or digit and "
                        + "be at most 128 letters, digits, '.', '_' or '-'");
            }
        }
        return Optional.empty();
    }
}
