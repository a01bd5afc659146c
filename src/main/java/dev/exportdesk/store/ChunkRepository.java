package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Chunk rows and their state machine. */
public final class ChunkRepository {

    /** Registers a chunk being written to staging (replacing an unsealed leftover of a crash). */
    public void plan(Connection c, String runId, int seq, String fileName, Instant now) throws SQLException {
        deleteUnsealed(c, runId, seq);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, "
                + "updated_at) VALUES (?, ?, 'PLANNED', ?, ?)")) {
            Sql.bind(st, runId, seq, fileName, now);
            st.executeUpdate();
        }
    }

    public void deleteUnsealed(Connection c, String runId, int seq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM chunks WHERE run_id = ? AND seq = ? AND state = 'PLANNED'")) {
            Sql.bind(st, runId, seq);
            st.executeUpdate();
        }
    }

    public int deleteAllUnsealed(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM chunks WHERE run_id = ? AND state = 'PLANNED'")) {
            Sql.bind(st, runId);
            return st.executeUpdate();
        }
    }

    /** Fixes a chunk's bytes: from here on it is immutable. */
    public void seal(Connection c, ChunkRecord chunk, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE chunks SET state = 'PACKAGED', row_count = ?, "
                + "delete_count = ?, byte_count = ?, content_bytes = ?, sha256 = ?, content_sha256 = ?, "
                + "cursor_from = ?, cursor_to = ?, scan_phase = ?, schema_fingerprint = ?, truncate_first = ?, updated_at = ? "
                + "WHERE run_id = ? AND seq = ? "
                + "AND state = 'PLANNED'")) {
            Sql.bind(st, chunk.rowCount(), chunk.deleteCount(), chunk.byteCount(), chunk.contentBytes(),
                    chunk.sha256(), chunk.contentSha256(), chunk.cursorFrom(), chunk.cursorTo(),
                    ScanPhase.wire(chunk.scanPhase()), chunk.schemaFingerprint(), chunk.truncateFirst(), now,
                    chunk.runId(), chunk.seq());
            if (st.executeUpdate() != 1) {
                throw new StoreException("chunk " + chunk.seq() + " of run " + chunk.runId() + " is not open");
            }
        }
    }

    /**
     * Re-seals a chunk captured again because its staged copy was lost and no partner ever saw it:
     * new bytes under the same number and name. Only while it still holds {@code oldSha256} and is
     * not delivered, so two holders can never both re-seal it from the same old bytes.
     */
    public void reseal(Connection c, ChunkRecord chunk, String oldSha256, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE chunks SET state = 'PACKAGED', row_count = ?, "
                + "delete_count = ?, byte_count = ?, content_bytes = ?, sha256 = ?, content_sha256 = ?, "
                + "cursor_from = ?, last_error = NULL, updated_at = ? WHERE run_id = ? AND seq = ? AND sha256 = ? "
                + "AND state IN ('PACKAGED', 'DELIVERING', 'FAILED')")) {
            Sql.bind(st, chunk.rowCount(), chunk.deleteCount(), chunk.byteCount(), chunk.contentBytes(),
                    chunk.sha256(), chunk.contentSha256(), chunk.cursorFrom(), now, chunk.runId(), chunk.seq(),
                    oldSha256);
            if (st.executeUpdate() != 1) {
                throw new StoreException("chunk " + chunk.seq() + " of run " + chunk.runId()
                        + " changed while it was captured again");
            }
        }
    }

    /**
     * A chunk of a split run, sealed in one step: its number is the next of the run's, taken in this
     * transaction after the run's row is locked, so chunks sealed by several workers at once still
     * number 1, 2, 3… without a gap. Returns the number; {@code fileName} maps it to the file name.
     */
    public int insertSealed(Connection c, ChunkRecord chunk, int segment, java.util.function.IntFunction<String> fileName,
                            Instant now) throws SQLException {
        RunRepository.lock(c, chunk.runId());
        int seq;
        try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM chunks WHERE run_id = ?")) {
            Sql.bind(st, chunk.runId());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, row_count, "
                + "delete_count, byte_count, content_bytes, sha256, content_sha256, cursor_from, cursor_to, scan_phase, "
                + "schema_fingerprint, updated_at, segment) VALUES (?, ?, 'PACKAGED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, chunk.runId(), seq, fileName.apply(seq), chunk.rowCount(), chunk.deleteCount(),
                    chunk.byteCount(), chunk.contentBytes(), chunk.sha256(), chunk.contentSha256(), chunk.cursorFrom(),
                    chunk.cursorTo(), ScanPhase.wire(chunk.scanPhase()), chunk.schemaFingerprint(), now, segment);
            st.executeUpdate();
        }
        return seq;
    }

    /** The chunks a segment of a split run sealed, in the order it sealed them. */
    public List<ChunkRecord> forSegment(Connection c, String runId, int segment) throws SQLException {
        List<ChunkRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM chunks WHERE run_id = ? AND segment = ? ORDER BY seq")) {
            Sql.bind(st, runId, segment);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    /** Records that worker {@code worker} keeps chunk {@code seq}'s retained copy in its own workspace (team mode). */
    public void retainedBy(Connection c, String runId, int seq, String worker) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE chunks SET retained_by = ? WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, worker, runId, seq);
            st.executeUpdate();
        }
    }

    /** By chunk sequence: the worker that keeps the chunk's retained copy, for the chunks a worker kept. */
    public java.util.Map<Integer, String> retainers(Connection c, String runId) throws SQLException {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT seq, retained_by FROM chunks WHERE run_id = ? AND retained_by IS NOT NULL")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return out;
    }


    public void transition(Connection c, String runId, int seq, ChunkState to, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE chunks SET state = ?, last_error = NULL, updated_at = ? WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, to.name(), now, runId, seq);
            st.executeUpdate();
        }
    }

    public void recordAttempt(Connection c, String runId, int seq, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE chunks SET attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, now, runId, seq);
            st.executeUpdate();
        }
    }

    public void recordError(Connection c, String runId, int seq, ChunkState state, String error, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE chunks SET state = ?, last_error = ?, updated_at = ? WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, state.name(), Sql.message(error, 4000), now, runId, seq);
            st.executeUpdate();
        }
    }

    /**
     * Sealed chunks, rows and bytes of every unfinished run, by run id: how far a run another process
     * executes has come (team mode: a worker's progress reaches consoles only through the store).
     */
    public java.util.Map<String, SealedTotals> sealedOfUnfinished(Connection c) throws SQLException {
        java.util.Map<String, SealedTotals> out = new java.util.HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT ch.run_id, count(*), sum(ch.row_count), "
                + "sum(ch.byte_count) FROM chunks ch JOIN runs r ON r.id = ch.run_id WHERE r.state <> 'COMPLETED' "
                + "AND ch.sha256 IS NOT NULL GROUP BY ch.run_id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new SealedTotals(rs.getLong(3), rs.getLong(4), rs.getInt(2)));
            }
        }
        return out;
    }

    /**
     * A run's chunks in apply order: by number, or for a split run by key range, then number — the
     * source's (cursor…, key…) order either way (V23).
     */
    public List<ChunkRecord> forRun(Connection c, String runId) throws SQLException {
        List<ChunkRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM chunks WHERE run_id = ? ORDER BY segment, seq")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    public Optional<ChunkRecord> find(Connection c, String runId, int seq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM chunks WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, runId, seq);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** A {@code chunks} row (also read by {@link ChunkPageQuery}'s pages). */
    static ChunkRecord map(ResultSet rs) throws SQLException {
        return new ChunkRecord(rs.getString("run_id"), rs.getInt("seq"), ChunkState.valueOf(rs.getString("state")),
                rs.getString("file_name"), rs.getLong("row_count"), rs.getLong("delete_count"),
                rs.getLong("byte_count"), rs.getLong("content_bytes"), rs.getString("sha256"),
                rs.getString("content_sha256"), rs.getString("cursor_from"), rs.getString("cursor_to"),
                ScanPhase.of(rs.getString("scan_phase")), rs.getString("schema_fingerprint"), rs.getInt("attempts"),
                rs.getString("last_error"), Sql.instant(rs, "updated_at"), rs.getBoolean("truncate_first"),
                rs.getInt("segment"));
    }
}
