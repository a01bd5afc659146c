package dev.exportdesk.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs a source connection may use: deny by default. A URL is a program for its driver
 * (H2's INIT runs SQL, RUNSCRIPT fetches it from anywhere, pgjdbc's socketFactory loads a class),
 * so only the PostgreSQL and H2 drivers are allowed, each with an allow-list of options whose
 * values are plain words. H2 must name a database file or server, never an in-memory or wrapped
 * file system, never a file inside the workspace (the state store lives there), and never one
 * that does not exist yet. Every URL is checked before any driver sees it, at definition and again
 * at every connection.
 */
public final class JdbcUrlPolicy {
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Set<String> H2_SETTINGS = Set.of("ACCESS_MODE_DATA", "MODE", "DATABASE_TO_UPPER",
            "DATABASE_TO_LOWER", "CASE_INSENSITIVE_IDENTIFIERS", "DEFAULT_NULL_ORDERING", "LOCK_TIMEOUT",
            "QUERY_TIMEOUT");
    private static final Set<String> POSTGRES_PARAMETERS = Set.of("ssl", "sslmode", "connecttimeout",
            "sockettimeout", "logintimeout", "applicationname", "tcpkeepalive", "targetservertype",
            "loadbalancehosts", "currentschema", "prepareThreshold".toLowerCase(Locale.ROOT), "defaultrowfetchsize",
            "gssencmode", "channelbinding");
    private static final Pattern POSTGRES = Pattern.compile(
            "jdbc:postgresql://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\])(:[0-9]{1,5})?"
                    + "(,([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\])(:[0-9]{1,5})?)*/([A-Za-z0-9_\\-]{1,63})(\\?(.*))?");
    private static final Pattern H2_SERVER = Pattern.compile(
            "(tcp|ssl)://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\])(:[0-9]{1,5})?/([A-Za-z0-9_./~\\-]{1,500})");
    private static final Pattern H2_FILE_PATH = Pattern.compile("[A-Za-z0-9_./~ \\-]{1,1000}");

    private final Path workspace;

    /** {@code workspace}: the workspace root, whose files no source may name. */
    public JdbcUrlPolicy(Path workspace) {
        this.workspace = workspace;
    }

    /** Every reason {@code url} is refused (empty when it is allowed). */
    public List<String> problems(String url) {
        List<String> problems = new ArrayList<>();
        if (url == null || url.isBlank()) {
            problems.add("is required");
        } else if (url.length() > 2000) {
            problems.add("is longer than 2000 characters");
        } else if (url.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            problems.add("contains control characters");
        } else if (url.startsWith("jdbc:postgresql:")) {
            checkPostgres(url, problems);
        } else if (url.startsWith("jdbc:h2:")) {
            checkH2(url.substring("jdbc:h2:".length()), problems);
        } else {
            problems.add("uses a driver that is not allowed (allowed: jdbc:postgresql://host[:port]/database, "
                    + "jdbc:h2:file:/path, jdbc:h2:tcp://host[:port]/path)");
        }
        return problems;
    }

    /** Throws naming every problem; the URL is never shown whole, in case it holds something private. */
    public void check(String sourceName, String url) {
        List<String> problems = problems(url);
        if (!problems.isEmpty()) {
            throw new SourceException("source \"" + sourceName + "\": jdbc_url " + String.join("; ", problems));
        }
    }

    /** The URL the driver is given: H2 file URLs never create a database (IFEXISTS). */
    public static String forDriver(String url) {
        return url.startsWith("jdbc:h2:") ? url + ";IFEXISTS=TRUE" : url;
    }

    private static void checkPostgres(String url, List<String> problems) {
        var m = POSTGRES.matcher(url);
        if (!m.matches()) {
            problems.add("must look like jdbc:postgresql://host[:port]/database[?option=value&...]");
            return;
        }
        String query = m.group(8);
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!POSTGRES_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                problems.add("option \"" + key + "\" is not allowed (allowed: " + String.join(", ",
                        new java.util.TreeSet<>(POSTGRES_PARAMETERS)) + ")");
            } else if (!SAFE_VALUE.matcher(value).matches()) {
                problems.add("option \"" + key + "\" must have a plain value (letters, digits, . _ -)");
            }
        }
    }

    private void checkH2(String rest, List<String> problems) {
        String[] parts = rest.split(";", -1);
        String location = parts[0];
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).trim().toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            if (!H2_SETTINGS.contains(key)) {
                problems.add("setting \"" + sanitize(key) + "\" is not allowed (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(H2_SETTINGS)) + ")");
            } else if (!SAFE_VALUE.matcher(value).matches()) {
                problems.add("setting \"" + key + "\" must have a plain value (letters, digits, . _ -)");
            }
        }
        if (H2_SERVER.matcher(location).matches()) {
            return;
        }
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        if (location.startsWith("tcp:") || location.startsWith("ssl:")) {
            problems.add("must name a server as tcp://host[:port]/path");
        } else if (path.contains(":") || !H2_FILE_PATH.matcher(path).matches() || path.isBlank()) {
            problems.add("must name an H2 database file (jdbc:h2:file:/path/name) or server; in-memory and other "
                    + "H2 file systems are not allowed");
        } else {
            insideWorkspace(path).ifPresent(problems::add);
        }
    }

    private Optional<String> insideWorkspace(String h2Path) {
        if (workspace == null) {
            return Optional.empty();
        }
        try {
            String expanded = h2Path.startsWith("~") ? System.getProperty("user.home") + h2Path.substring(1) : h2Path;
            Path file = real(Path.of(expanded).toAbsolutePath().normalize());
            Path ws = real(workspace.toAbsolutePath().normalize());
            if (file.startsWith(ws)) {
                return Optional.of("names a file inside the ExportDesk workspace; sources must live elsewhere");
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.of("names an invalid path");
        }
    }

    /** Resolves links in the longest existing prefix, so a link into the workspace is seen through. */
    private static Path real(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            Path r = existing.toRealPath();
            return rest == null ? r : r.resolve(rest).normalize();
        } catch (IOException e) {
            return p;
        }
    }

    private static String sanitize(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
