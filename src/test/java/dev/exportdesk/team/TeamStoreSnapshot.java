package dev.exportdesk.team;

import dev.exportdesk.chunk.Hashing;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a team-mode test compares before and after a stale worker wakes up: store rows and delivered files. */
final class TeamStoreSnapshot {
    /** The workers' own liveness rows: a worker heartbeats whether or not it holds anything. */
    private static final List<String> NOT_UNDER_A_LEASE = List.of("workers", "flyway_schema_history");

    private TeamStoreSnapshot() {
    }

    /** Every row of every table but {@link #NOT_UNDER_A_LEASE}, as text, by table, sorted. */
    static Map<String, List<String>> rows(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name FROM "
                + "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                if (!NOT_UNDER_A_LEASE.contains(rs.getString(1))) {
                    tables.add(rs.getString(1));
                }
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (String t : tables) {
            List<String> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        sb.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                    }
                    rows.add(sb.toString());
                }
            }
            rows.sort(null);
            out.put(t, rows);
        }
        return out;
    }

    /** Every file under {@code root}: its SHA-256 and its inode, so a rename over it shows too. */
    static Map<String, String> files(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    out.put(root.relativize(p).toString(), Hashing.digest(p).sha256() + " inode " + a.fileKey());
                } else if (!a.isDirectory()) {
                    out.put(root.relativize(p).toString(), "not a regular file");
                }
            }
        }
        return out;
    }
}
