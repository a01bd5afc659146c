package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Correction chunks (migration V6): which chunk each corrects, from which verification pass, and
 * the keys it re-reads. Rows are written once, when the correction run is planned.
 */
public final class CorrectionRepository {

    /** A correction chunk and the delivered chunk it corrects. */
    public record Correction(String runId, int chunkSeq, String correctsRunId, long correctsSequence,
                             int correctsChunkSeq, String correctsFile, long verificationId) {
    }

    /** One key a correction chunk re-reads, and the kind of difference that was found. */
    public record Key(String rowKey, String kind) {
    }

    public void add(Connection c, Correction corr, List<Key> keys) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunk_corrections(run_id, chunk_seq, "
                + "corrects_run_id, corrects_sequence, corrects_chunk_seq, corrects_file, verification_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, corr.runId(), corr.chunkSeq(), corr.correctsRunId(), corr.correctsSequence(),
                    corr.correctsChunkSeq(), corr.correctsFile(), corr.verificationId());
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO correction_keys(run_id, chunk_seq, key_index, "
                + "row_key, kind) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < keys.size(); i++) {
                Sql.bind(st, corr.runId(), corr.chunkSeq(), i, keys.get(i).rowKey(), keys.get(i).kind());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** The correction chunks of a run, by chunk sequence (empty for an ordinary run). */
    public List<Correction> forRun(Connection c, String runId) throws SQLException {
        List<Correction> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM chunk_corrections WHERE run_id = ? ORDER BY run_id, chunk_seq")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    /**
     * A correction chunk as the run detail shows it: what it corrects and how many keys it re-reads,
     * by the kind of difference found ({@code RowDiff.Kind}: changed, missing at source, late).
     */
    public record Link(Correction correction, long keys, long changed, long missing) {
        public long late() {
            return keys - changed - missing;
        }
    }

    /** A chunk of a correction run that corrects chunk {@code correctedSeq}, and that run's state. */
    public record CorrectedBy(int correctedSeq, String runId, long sequence, RunState state, int chunkSeq,
                              long verificationId, long keys) {
    }

    /**
     * The correction chunks of a run with {@code fromSeq <= chunk_seq <= toSeq}, keyed by chunk (one
     * query per page of the run detail). Ordered by the whole primary key so H2 walks its index.
     */
    public Map<Integer, Link> links(Connection c, String runId, int fromSeq, int toSeq) throws SQLException {
        Map<Integer, Link> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(linksSql())) {
            Sql.bind(st, runId, fromSeq, toSeq, runId, fromSeq, toSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Correction corr = map(rs);
                    out.put(corr.chunkSeq(), new Link(corr, rs.getLong("key_count"), rs.getLong("changed"),
                            rs.getLong("missing")));
                }
            }
        }
        return out;
    }

    /**
     * The keys are counted in a derived table that H2 reads per chunk on correction_keys' primary
     * key (run_id, chunk_seq, …) once it has statistics (CorrectionLineageTest checks the plan); on
     * a table too small for them it may take the index on run_id alone, which is then cheap too.
     */
    static String linksSql() {
        return "SELECT x.run_id, x.chunk_seq, x.corrects_run_id, x.corrects_sequence, x.corrects_chunk_seq, "
                + "x.corrects_file, x.verification_id, k.key_count, k.changed, k.missing "
                + "FROM chunk_corrections x LEFT JOIN (SELECT run_id, chunk_seq, COUNT(*) AS key_count, "
                + "SUM(CASE WHEN kind = 'CHANGED' THEN 1 ELSE 0 END) AS changed, "
                + "SUM(CASE WHEN kind = 'MISSING' THEN 1 ELSE 0 END) AS missing FROM correction_keys "
                + "WHERE run_id = ? AND chunk_seq BETWEEN ? AND ? GROUP BY run_id, chunk_seq) k "
                + "ON k.run_id = x.run_id AND k.chunk_seq = x.chunk_seq "
                + "WHERE x.run_id = ? AND x.chunk_seq BETWEEN ? AND ? ORDER BY x.run_id, x.chunk_seq";
    }

    /** The keys of each correction chunk (a range read on correction_keys' primary key per chunk). */
    private static String keyCount() {
        return "(SELECT COUNT(*) FROM correction_keys k WHERE k.run_id = x.run_id AND k.chunk_seq = x.chunk_seq) "
                + "AS key_count";
    }

    /**
     * The correction chunks that correct chunks {@code fromSeq..toSeq} of {@code runId}, with their
     * run's sequence and state, oldest correction first (index {@code chunk_corrections_by_target}).
     */
    public List<CorrectedBy> correctedBy(Connection c, String runId, int fromSeq, int toSeq) throws SQLException {
        List<CorrectedBy> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(correctedBySql())) {
            Sql.bind(st, runId, fromSeq, toSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new CorrectedBy(rs.getInt("corrects_chunk_seq"), rs.getString("run_id"),
                            rs.getLong("sequence"), RunState.valueOf(rs.getString("state")), rs.getInt("chunk_seq"),
                            rs.getLong("verification_id"), rs.getLong("key_count")));
                }
            }
        }
        out.sort(Comparator.comparingInt(CorrectedBy::correctedSeq).thenComparingLong(CorrectedBy::sequence)
                .thenComparingInt(CorrectedBy::chunkSeq));
        return out;
    }

    static String correctedBySql() {
        return "SELECT x.corrects_chunk_seq, x.run_id, x.chunk_seq, x.verification_id, r.sequence, r.state, "
                + keyCount() + " FROM chunk_corrections x JOIN runs r ON r.id = x.run_id "
                + "WHERE x.corrects_run_id = ? AND x.corrects_chunk_seq BETWEEN ? AND ? "
                + "ORDER BY x.corrects_run_id, x.corrects_chunk_seq";
    }

    private static Correction map(ResultSet rs) throws SQLException {
        return new Correction(rs.getString("run_id"), rs.getInt("chunk_seq"), rs.getString("corrects_run_id"),
                rs.getLong("corrects_sequence"), rs.getInt("corrects_chunk_seq"), rs.getString("corrects_file"),
                rs.getLong("verification_id"));
    }

    public List<Key> keys(Connection c, String runId, int chunkSeq) throws SQLException {
        List<Key> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT row_key, kind FROM correction_keys WHERE run_id = ? "
                + "AND chunk_seq = ? ORDER BY key_index")) {
            Sql.bind(st, runId, chunkSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** How many keys a correction run re-reads in all (its rows to read, for the console's ETA). */
    public long keyCount(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM correction_keys WHERE run_id = ?")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Keys of a chunk already planned for correction from the findings of verification pass {@code id}. */
    public Set<String> correctedFrom(Connection c, long verificationId, String runId, int chunkSeq)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT k.row_key FROM chunk_corrections x "
                + "JOIN correction_keys k ON k.run_id = x.run_id AND k.chunk_seq = x.chunk_seq "
                + "WHERE x.verification_id = ? AND x.corrects_run_id = ? AND x.corrects_chunk_seq = ?")) {
            Sql.bind(st, verificationId, runId, chunkSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
