package dev.exportdesk.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs may name a team store: deny by default. A pgjdbc URL is a program for its driver
 * (socketFactory and sslfactory load classes, loggerFile writes files: CVE-2022-21724 and kin), and
 * the store URL comes from a file or the environment, so only {@code jdbc:postgresql://host[:port]/db}
 * with a short list of connection options whose values are plain is accepted, and it is checked
 * before any driver sees it. The password never goes in the URL.
 */
public final class StoreUrl {
    private static final Pattern URL = Pattern.compile(
            "jdbc:postgresql://([A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:]{2,39}\\])(:[0-9]{1,5})?/([A-Za-z0-9_\\-]{1,63})"
                    + "(\\?(.*))?");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[A-Za-z0-9_./\\-]{1,500}");
    /** Option (lower case) to the pattern its value must match. */
    private static final Map<String, Pattern> OPTIONS = Map.of(
            "ssl", Pattern.compile("true|false"),
            "sslmode", Pattern.compile("disable|allow|prefer|require|verify-ca|verify-full"),
            "sslrootcert", ABSOLUTE_PATH,
            "connecttimeout", Pattern.compile("[0-9]{1,4}"),
            "sockettimeout", Pattern.compile("[0-9]{1,5}"),
            "logintimeout", Pattern.compile("[0-9]{1,4}"),
            "applicationname", PLAIN,
            "targetservertype", Pattern.compile("any|primary|master|secondary|preferSecondary|preferPrimary"),
            "tcpkeepalive", Pattern.compile("true|false"));

    private StoreUrl() {
    }

    /** Every reason {@code url} is refused (empty when it is allowed). */
    public static List<String> problems(String url) {
        List<String> problems = new ArrayList<>();
        if (url == null || url.isBlank()) {
            problems.add("is required");
            return problems;
        }
        if (url.length() > 1000) {
            problems.add("is longer than 1000 characters");
            return problems;
        }
        if (url.chars().anyMatch(ch -> ch < 0x21 || ch >= 0x7f)) {
            problems.add("contains spaces, control or non-ASCII characters");
            return problems;
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            problems.add("must look like jdbc:postgresql://host[:port]/database[?option=value&...] (one host; "
                    + "the team store is PostgreSQL)");
            return problems;
        }
        if (m.group(2) != null && Integer.parseInt(m.group(2).substring(1)) > 65535) {
            problems.add("has a port above 65535");
        }
        String query = m.group(5);
        if (query != null) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                Pattern allowed = OPTIONS.get(key.toLowerCase(Locale.ROOT));
                if (allowed == null) {
                    problems.add("option \"" + shorten(key) + "\" is not allowed (allowed: "
                            + String.join(", ", new TreeSet<>(OPTIONS.keySet())) + ")");
                } else if (!allowed.matcher(value).matches()) {
                    problems.add("option \"" + key + "\" has a value that is not allowed");
                }
            }
        }
        return problems;
    }

    /** Throws naming every problem; {@code field} says where the URL came from. */
    public static String check(String field, String url) {
        List<String> problems = problems(url);
        if (!problems.isEmpty()) {
            throw new StoreConfigException(field + " " + String.join("; ", problems));
        }
        return url;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
