package dev.exportdesk.transfer;

import java.util.List;
import java.util.regex.Pattern;

/** Validates destination-relative paths: allow-listed segments, no '.', '..', or absolute paths. */
public final class RelativePath {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private RelativePath() {
    }

    public static List<String> segments(String path) throws DeliveryException {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new DeliveryException("invalid destination path \"" + path + "\"", true);
        }
        List<String> parts = List.of(path.split("/"));
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches() || p.equals("..")) {
                throw new DeliveryException("invalid destination path segment \"" + p + "\" in \"" + path + "\"",
                        true);
            }
        }
        return parts;
    }
}
