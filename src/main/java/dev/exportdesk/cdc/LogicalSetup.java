package dev.exportdesk.cdc;

import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.OutputText;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, on a live connection, that a table can be captured from the log with a given publication
 * and slot: each problem says what the DBA must change and gives the SQL. Nothing is changed here —
 * the export's role reads, it does not administer. Messages name settings, tables, columns and the
 * role, never values or credentials.
 *
 * <p>Unchanged TOASTed values: an update that leaves a large value untouched sends no value for it,
 * only "unchanged". This capture requires REPLICA IDENTITY FULL for any table whose exported columns
 * can be TOASTed (then the log carries the old row, whose values fill the gap); re-reading them by
 * key would give the value of a later moment, not the one this change committed.
 */
public final class LogicalSetup {
    private LogicalSetup() {
    }

    /** What is checked; each problem names one. */
    public enum Check {
        WAL_LEVEL, REPLICATION_PRIVILEGE, TABLE_PRIVILEGE, PUBLICATION, PUBLICATION_COVERS_TABLE,
        PUBLICATION_ACTIONS, REPLICA_IDENTITY, COLUMN, SLOT
    }

    /** One thing the DBA must change: what is wrong, and the SQL (or setting) that fixes it. */
    public record Problem(Check check, String message, String fix) {
        @Override
        public String toString() {
            return message + " — fix: " + fix;
        }
    }

    /**
     * @param maxSlotWalKeepSize the server's {@code max_slot_wal_keep_size} as it shows it ("-1": unbounded)
     * @param notes              advice that does not stop capture (e.g. the unbounded WAL a stalled slot keeps)
     */
    public record Report(List<Problem> problems, String maxSlotWalKeepSize, List<String> notes) {
        public Report {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** Throws naming every problem, when there is one. */
        public void require() {
            if (!ok()) {
                StringBuilder sb = new StringBuilder("the source is not set up for logical capture:");
                problems.forEach(p -> sb.append("\n  ").append(p));
                throw new CaptureException(sb.toString());
            }
        }
    }

    public static Report check(Connection c, LogicalTable table, String publication, String slot) {
        SlotName.check("publication", publication);
        SlotName.check("slot", slot);
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String qualified = quote(table.namespace()) + "." + quote(table.name());
        try {
            String walLevel = show(c, "wal_level");
            if (!walLevel.equals("logical")) {
                problems.add(new Problem(Check.WAL_LEVEL, "wal_level is \"" + walLevel + "\"; logical capture needs "
                        + "\"logical\"", "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL"));
            }
            role(c, table, qualified, problems);
            publication(c, table, qualified, publication, problems);
            identity(c, table, qualified, problems);
            columns(table, problems);
            slot(c, slot, problems);
            String keep = show(c, "max_slot_wal_keep_size");
            if (keep.equals("-1")) {
                notes.add("max_slot_wal_keep_size is unbounded (-1): a slot that stops advancing keeps WAL until the "
                        + "disk is full; a bound (e.g. ALTER SYSTEM SET max_slot_wal_keep_size = '50GB'; SELECT "
                        + "pg_reload_conf();) makes the server drop the slot instead, and the contract re-syncs");
            }
            return new Report(problems, keep, notes);
        } catch (SQLException e) {
            throw new CaptureException("cannot check the source's logical replication setup: " + e.getMessage(), e);
        }
    }

    private static void role(Connection c, LogicalTable table, String qualified, List<Problem> problems)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT r.rolname, r.rolreplication OR r.rolsuper, "
                + "has_table_privilege(?::oid, 'SELECT') FROM pg_roles r WHERE r.rolname = current_user")) {
            st.setLong(1, table.oid());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                String role = quote(rs.getString(1));
                if (!rs.getBoolean(2)) {
                    problems.add(new Problem(Check.REPLICATION_PRIVILEGE, "role " + role + " lacks the REPLICATION "
                            + "attribute, which creating and reading a slot needs", "ALTER ROLE " + role
                            + " REPLICATION; (and a \"replication\" line for it in pg_hba.conf)"));
                }
                if (!rs.getBoolean(3)) {
                    problems.add(new Problem(Check.TABLE_PRIVILEGE, "role " + role + " cannot read table " + qualified
                            + ", which the snapshot copy reads", "GRANT SELECT ON " + qualified + " TO " + role + ";"));
                }
            }
        }
    }

    private static void publication(Connection c, LogicalTable table, String qualified, String publication,
                                     List<Problem> problems) throws SQLException {
        boolean insert;
        boolean update;
        boolean delete;
        boolean truncate;
        boolean viaRoot;
        try (PreparedStatement st = c.prepareStatement("SELECT pubinsert, pubupdate, pubdelete, pubtruncate, "
                + "pubviaroot FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    problems.add(new Problem(Check.PUBLICATION, "publication " + publication + " does not exist",
                            "CREATE PUBLICATION " + publication + " FOR TABLE " + qualified + ";"));
                    return;
                }
                insert = rs.getBoolean(1);
                update = rs.getBoolean(2);
                delete = rs.getBoolean(3);
                truncate = rs.getBoolean(4);
                viaRoot = rs.getBoolean(5);
            }
        }
        if (table.partitioned() && !viaRoot) {
            problems.add(new Problem(Check.PUBLICATION_COVERS_TABLE, "table " + qualified + " is partitioned, and "
                    + "publication " + publication + " publishes its changes under each partition's name",
                    "ALTER PUBLICATION " + publication + " SET (publish_via_partition_root = true);"));
            return;
        }
        // pg_publication_tables lists FOR ALL TABLES and TABLES IN SCHEMA publications' tables too
        try (PreparedStatement st = c.prepareStatement("SELECT attnames, rowfilter FROM pg_publication_tables "
                + "WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
            st.setString(1, publication);
            st.setString(2, table.namespace());
            st.setString(3, table.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    problems.add(new Problem(Check.PUBLICATION_COVERS_TABLE, "publication " + publication
                            + " does not include table " + qualified, "ALTER PUBLICATION " + publication + " ADD TABLE "
                            + qualified + ";"));
                } else {
                    Set<String> published = names(rs.getArray(1));
                    List<String> missing = table.columnNames().stream().filter(n -> !published.contains(n)).toList();
                    if (!missing.isEmpty() || rs.getString(2) != null) {
                        problems.add(new Problem(Check.PUBLICATION_COVERS_TABLE, "publication " + publication
                                + " publishes table " + qualified + (missing.isEmpty() ? " with a row filter" : " without "
                                + "exported column(s) " + String.join(", ", missing)) + "; an export needs every row "
                                + "and column", "ALTER PUBLICATION " + publication + " SET TABLE " + qualified + ";"));
                    }
                }
            }
        }
        if (!(insert && update && delete && truncate)) {
            problems.add(new Problem(Check.PUBLICATION_ACTIONS, "publication " + publication + " does not publish "
                    + "every insert, update, delete and truncate", "ALTER PUBLICATION " + publication
                    + " SET (publish = 'insert, update, delete, truncate');"));
        }
    }

    private static Set<String> names(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        return new HashSet<>(Arrays.asList((String[]) array.getArray()));
    }

    /**
     * Deletes and key changes must carry the contract's key, and updates that leave TOASTed values
     * unchanged must carry the old row (see the class comment): FULL, or a key-covering identity when
     * no exported column can be TOASTed.
     */
    private static void identity(Connection c, LogicalTable table, String qualified, List<Problem> problems)
            throws SQLException {
        if (table.replicaIdentity() == 'f') {
            return;
        }
        String fix = "ALTER TABLE " + qualified + " REPLICA IDENTITY FULL;";
        if (table.replicaIdentity() == 'n') {
            problems.add(new Problem(Check.REPLICA_IDENTITY, "table " + qualified + " has REPLICA IDENTITY NOTHING: its "
                    + "updates and deletes carry no key", fix));
            return;
        }
        Set<String> identity = identityColumns(c, table);
        if (identity.isEmpty()) {
            problems.add(new Problem(Check.REPLICA_IDENTITY, "table " + qualified + " has no primary key, so its "
                    + "default replica identity carries no key for updates and deletes", fix));
            return;
        }
        List<String> uncovered = new ArrayList<>();
        for (int k : table.keyIndexes()) {
            String name = table.columns().get(k).name();
            if (!identity.contains(name)) {
                uncovered.add(name);
            }
        }
        if (!uncovered.isEmpty()) {
            problems.add(new Problem(Check.REPLICA_IDENTITY, "the replica identity of table " + qualified + " does not "
                    + "include key column(s) " + String.join(", ", uncovered) + ", so deletes would not say which "
                    + "row went", fix));
        }
        List<String> toastable = new ArrayList<>();
        for (ColumnInfo col : table.columns()) {
            LogicalTable.Attribute a = table.attributes().get(col.name());
            if (a != null && a.toastable()) {
                toastable.add(col.name());
            }
        }
        if (!toastable.isEmpty()) {
            problems.add(new Problem(Check.REPLICA_IDENTITY, "exported column(s) " + String.join(", ", toastable)
                    + " of table " + qualified + " can be TOASTed, and an update that leaves such a value unchanged "
                    + "does not send it; REPLICA IDENTITY FULL makes the log carry the old row to take it from", fix));
        }
    }

    /** The primary key's (default) or the chosen index's (USING INDEX) columns. */
    private static Set<String> identityColumns(Connection c, LogicalTable table) throws SQLException {
        String which = table.replicaIdentity() == 'i' ? "i.indisreplident" : "i.indisprimary";
        Set<String> names = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ? AND " + which)) {
            st.setLong(1, table.oid());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static void columns(LogicalTable table, List<Problem> problems) {
        for (ColumnInfo col : table.columns()) {
            LogicalTable.Attribute a = table.attributes().get(col.name());
            if (a != null && a.generated()) {
                problems.add(new Problem(Check.COLUMN, "exported column " + col.name() + " is generated, and the log "
                        + "does not carry generated columns", "export the columns it is computed from instead "
                        + "(\"columns\" in the contract)"));
            } else if (!OutputText.decodes(col)) {
                problems.add(new Problem(Check.COLUMN, "exported column " + col.name() + " has type " + col.typeName()
                        + ", whose text the log path does not decode as the scans do", "leave it out of \"columns\", "
                        + "or keep the contract on cursor capture"));
            }
        }
    }

    private static void slot(Connection c, String slot, List<Problem> problems) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT slot_type, plugin, database = current_database() "
                + "FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && !("logical".equals(rs.getString(1)) && "pgoutput".equals(rs.getString(2))
                        && rs.getBoolean(3))) {
                    problems.add(new Problem(Check.SLOT, "replication slot " + slot + " exists and is not a pgoutput "
                            + "slot of this database", "choose another slot name for the contract"));
                    return;
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT current_setting('max_replication_slots')::int "
                + "- (SELECT count(*) FROM pg_replication_slots), "
                + "EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) <= 0 && !rs.getBoolean(2)) {
                    problems.add(new Problem(Check.SLOT, "every replication slot is in use (max_replication_slots)",
                            "ALTER SYSTEM SET max_replication_slots = <more>; then restart PostgreSQL"));
                }
            }
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT current_setting(?)")) {
            st.setString(1, setting);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** An identifier as the fix the DBA copies spells it: always quoted, so keywords and capitals are safe. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
