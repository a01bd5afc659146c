package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
                    out.add(new Correction(rs.getString("run_id"), rs.getInt("chunk_seq"),
                            rs.getString("corrects_run_id"), rs.getLong("corrects_sequence"),
                            rs.getInt("corrects_chunk_seq"), rs.getString("corrects_file"),
                            rs.getLong("verification_id")));
                }
            }
        }
        return out;
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
