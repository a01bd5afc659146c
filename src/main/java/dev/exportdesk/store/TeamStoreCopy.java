package dev.exportdesk.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code store copy-to}: moves a solo workspace's H2 store into an empty PostgreSQL database that
 * becomes its team store. Every table of the schema is carried (enumerated from the database, so a
 * table added later is carried too) but the few that describe the store itself, in one transaction
 * on the target, streamed row by row, parents before children; the caller rewrites rows bound to
 * the solo key (secrets). The target gets its own identity, with the solo ledger's signing key.
 */
public final class TeamStoreCopy {
    /** Tables about the store itself, never carried: its migrations, its team identity, the solo file's marker. */
    public static final Set<String> NOT_CARRIED = Set.of("flyway_schema_history", "team_store", "workspace_identity");
    private static final int BATCH = 500;
    /** Rows a migration may seed in a fresh store; more than this in a target table means it holds data. */
    private static final int SEEDED_MAX = 100;

    private TeamStoreCopy() {
    }

    /** Rewrites one row (column name in lower case to value) before it is written to the target. */
    @FunctionalInterface
    public interface RowRewrite {
        void apply(Map<String, Object> row);
    }

    /** The new store's identity and the rows carried per table. */
    public record Result(TeamIdentity identity, Map<String, Long> rows) {
    }

    /**
     * Copies {@code solo}'s store to the database at {@code url}, then points the workspace at it.
     * {@code teamEnv} chooses the team's master key (its salt is the new store's); {@code rewrites}
     * gets that key and returns a rewrite per table name.
     */
    public static Result copy(Workspace solo, Map<String, String> teamEnv, String url, String user, String password,
                              boolean keepPassword, TeamIdentity.LedgerKeyPair ledger,
                              Function<KeyMaterial, Map<String, RowRewrite>> rewrites, String actor) {
        StoreUrl.check("the store URL", url);
        if (solo.teamMode()) {
            throw new StoreConfigException("this workspace already keeps its state in a team store; copy-to moves a "
                    + "solo workspace's own store");
        }
        Path root = solo.root();
        StateStore source = solo.store();
        try (StateStore target = StateStore.open(url, user, password, SchemaPolicy.CREATE)) {
            String sourceVersion = source.schema().status().current();
            String targetVersion = target.schema().status().current();
            if (!sourceVersion.equals(targetVersion)) {
                throw new StoreVersionException("the target " + url + " is at schema version " + targetVersion
                        + ", this workspace at " + sourceVersion + ": copy-to needs an empty database. Nothing was "
                        + "written.");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            byte[] salt = TeamIdentity.newSalt();
            KeyMaterial key = KeyMaterial.derive(root, teamEnv, () -> salt);
            TeamIdentity identity = TeamIdentity.create(key, salt, now, ledger);
            Map<String, RowRewrite> rewrite = rewrites.apply(key);
            Map<String, Long> rows = source.inTransaction(sc -> target.inTransaction(tc -> {
                List<String> tables = tablesInOrder(sc, tc, url);
                refuseData(sc, tc, tables, url);
                for (int i = tables.size() - 1; i >= 0; i--) {
                    try (Statement st = tc.createStatement()) {
                        st.executeUpdate("DELETE FROM " + quote(tables.get(i))); // rows the migrations seeded
                    }
                }
                Map<String, Long> counts = new TreeMap<>();
                for (String table : tables) {
                    counts.put(table, copyTable(sc, tc, table, rewrite.get(table)));
                }
                resetIdentities(tc);
                identity.insert(tc);
                target.audit().append(tc, now, actor, "store.copy-to", "store " + identity.storeId(), null,
                        "{\"tables\":" + counts.size() + ",\"rows\":" + counts.values().stream().mapToLong(Long::longValue)
                                .sum() + "}");
                return counts;
            }));
            TeamStoreConfig.of(url, user, identity, key, keepPassword ? Optional.of(password) : Optional.empty())
                    .write(root);
            source.updateDurably(c -> source.audit().append(c, now, actor, "store.copy-to", "store "
                    + identity.storeId(), null, "{\"url\":\"" + url.replace("\"", "") + "\"}"));
            return new Result(identity, rows);
        }
    }

    /** The target's tables (lower case) but {@link #NOT_CARRIED}, parents before children; the source must have the same. */
    static List<String> tablesInOrder(Connection source, Connection target, String url) throws SQLException {
        Set<String> targetTables = tables(target);
        Set<String> sourceTables = tables(source);
        if (!sourceTables.equals(targetTables)) {
            Set<String> onlySource = new TreeSet<>(sourceTables);
            onlySource.removeAll(targetTables);
            Set<String> onlyTarget = new TreeSet<>(targetTables);
            onlyTarget.removeAll(sourceTables);
            throw new StoreConfigException("the target " + url + " does not have this workspace's tables (only here: "
                    + onlySource + ", only there: " + onlyTarget + "); nothing was written");
        }
        Map<String, Set<String>> parents = new TreeMap<>();
        DatabaseMetaData md = target.getMetaData();
        for (String t : targetTables) {
            Set<String> p = new TreeSet<>();
            try (ResultSet rs = md.getImportedKeys(null, target.getSchema(), t)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(t) && targetTables.contains(parent)) {
                        p.add(parent);
                    }
                }
            }
            parents.put(t, p);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < parents.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> e : parents.entrySet()) {
                if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
                    placed.add(e.getKey());
                    ordered.add(e.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                throw new StoreException("the schema's foreign keys form a cycle; copy-to cannot order the tables");
            }
        }
        return ordered;
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!NOT_CARRIED.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * A target holding anything but what its migrations seeded (rows the source has too, identically)
     * is refused: copy-to never merges two stores' histories.
     */
    private static void refuseData(Connection source, Connection target, List<String> tables, String url)
            throws SQLException {
        if (TeamIdentity.read(target).isPresent()) {
            throw new StoreConfigException("the target " + url + " is already a team store; copy-to needs an empty "
                    + "database. Nothing was written.");
        }
        for (String t : tables) {
            long n = count(target, t);
            if (n > 0 && (n > SEEDED_MAX || !rows(target, t).equals(rows(source, t)))) {
                throw new StoreConfigException("the target " + url + " already holds data (" + n + " rows in " + t
                        + "); copy-to needs an empty database. Nothing was written.");
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next() && out.size() <= SEEDED_MAX) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(rs.getObject(i)).append('\u0001');
                }
                out.add(sb.toString());
            }
        }
        out.sort(null);
        return out;
    }

    private static long copyTable(Connection source, Connection target, String table, RowRewrite rewrite)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        try (ResultSet rs = target.getMetaData().getColumns(null, target.getSchema(), table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                types.add(rs.getInt("DATA_TYPE"));
            }
        }
        String select = "SELECT " + String.join(", ", columns) + " FROM " + table;
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (");
        insert.append(String.join(", ", columns.stream().map(TeamStoreCopy::quote).toList())).append(") VALUES (");
        insert.append(String.join(", ", columns.stream().map(c -> "?").toList())).append(')');
        long n = 0;
        try (Statement st = source.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             PreparedStatement ins = target.prepareStatement(insert.toString())) {
            st.setFetchSize(BATCH);
            try (ResultSet rs = st.executeQuery(select)) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), rs.getObject(i + 1));
                    }
                    if (rewrite != null) {
                        rewrite.apply(row);
                    }
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = row.get(columns.get(i));
                        if (v == null) {
                            ins.setNull(i + 1, types.get(i));
                        } else {
                            ins.setObject(i + 1, v);
                        }
                    }
                    ins.addBatch();
                    if (++n % BATCH == 0) {
                        ins.executeBatch();
                    }
                }
            }
            ins.executeBatch();
        }
        return n;
    }

    /** Identity columns continue after the carried ids, so the next audit row or run attempt never collides. */
    private static void resetIdentities(Connection target) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, column_name "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) {
                identities.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        for (String[] tc : identities) {
            try (PreparedStatement st = target.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), "
                    + "COALESCE(MAX(" + quote(tc[1]) + "), 0) + 1, false) FROM " + quote(tc[0]))) {
                st.setString(1, quote(tc[0]));
                st.setString(2, tc[1]);
                st.executeQuery().close();
            }
        }
    }

    /** Names come from the database's own catalogue (lower case, letters, digits, underscores). */
    private static String quote(String name) {
        if (!name.matches("[a-z0-9_]{1,63}")) {
            throw new StoreException("unexpected table or column name in the schema: " + name);
        }
        return "\"" + name + "\"";
    }
}
