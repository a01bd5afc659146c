package dev.exportdesk.store;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The lines shipped inside the lookback horizon, for the late-data lookback: one row per block of
 * up to 4,096 lines, written with the chunk's seal and pruned when a run completes, so the store
 * holds 32 bytes per line the window can still re-scan and no per-row B-tree entries.
 */
public final class LookbackIndex {

    /** Where a block sits in cursor time; its hashes are read only when a re-scan reaches it. */
    public record Span(long id, Instant firstAt, Instant lastAt) {
    }

    /** Blocks sent per batch: 1 MB of hashes. */
    private static final int BATCH_BLOCKS = 8;

    public void record(Connection c, String contract, String runId, int chunkSeq, List<ShippedBlock> blocks)
            throws SQLException {
        if (blocks.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO shipped_blocks(contract_name, run_id, chunk_seq, "
                + "first_at, last_at, row_count, row_hashes) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (ShippedBlock b : blocks) {
                Sql.bind(st, contract, runId, chunkSeq, b.firstAt(), b.lastAt(), b.rows(), b.hashes());
                st.addBatch();
                // a batch holds a copy of every block bound to it: one for a whole chunk's blocks
                // was 16 MB beside the chunk's own 16 MB at 500,000 lines, and ran a 64 MB heap out
                if (++pending == BATCH_BLOCKS) {
                    st.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                st.executeBatch();
            }
        }
    }

    /** Blocks holding lines at or after {@code from}, by their first cursor time. */
    public List<Span> spans(Connection c, String contract, Instant from) throws SQLException {
        return spans(c, contract, from, "", 0);
    }

    /**
     * As {@link #spans(Connection, String, Instant)}, leaving out chunk {@code chunkSeq} of run
     * {@code runId}: a chunk captured again must not find its own lines as already shipped.
     */
    public List<Span> spans(Connection c, String contract, Instant from, String runId, int chunkSeq)
            throws SQLException {
        List<Span> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, first_at, last_at FROM shipped_blocks "
                + "WHERE contract_name = ? AND last_at >= ? AND NOT (run_id = ? AND chunk_seq = ?) "
                + "ORDER BY first_at, id")) {
            Sql.bind(st, contract, from, runId, chunkSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Span(rs.getLong(1), Sql.instant(rs, "first_at"), Sql.instant(rs, "last_at")));
                }
            }
        }
        return out;
    }

    public ShippedBlock block(Connection c, Span span) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT row_hashes FROM shipped_blocks WHERE id = ?")) {
            Sql.bind(st, span.id());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("lookback index block " + span.id() + " vanished while it was read");
                }
                return new ShippedBlock(span.firstAt(), span.lastAt(), rs.getBytes(1));
            }
        }
    }

    /** Those of {@code sha256s} (hex) the index holds as shipped lines of {@code contract}. */
    public Set<String> shippedAmong(Connection c, String contract, Set<String> sha256s) throws SQLException {
        Set<ByteBuffer> wanted = new HashSet<>();
        sha256s.forEach(h -> wanted.add(ByteBuffer.wrap(HexFormat.of().parseHex(h))));
        Set<String> found = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT row_hashes FROM shipped_blocks WHERE contract_name = ?")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next() && found.size() < wanted.size()) {
                    byte[] hashes = rs.getBytes(1);
                    for (int off = 0; off < hashes.length; off += ShippedBlock.HASH) {
                        ByteBuffer h = ByteBuffer.wrap(hashes, off, ShippedBlock.HASH);
                        if (wanted.contains(h)) {
                            found.add(HexFormat.of().formatHex(hashes, off, off + ShippedBlock.HASH));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Drops the lines chunk {@code chunkSeq} of run {@code runId} recorded (before it is re-sealed). */
    public void forget(Connection c, String runId, int chunkSeq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM shipped_blocks WHERE run_id = ? AND chunk_seq = ?")) {
            Sql.bind(st, runId, chunkSeq);
            st.executeUpdate();
        }
    }

    /** Drops blocks whose every line is older than {@code horizon}; returns how many lines went. */
    public long prune(Connection c, String contract, Instant horizon) throws SQLException {
        long lines = lines(c, "last_at < ?", contract, horizon);
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM shipped_blocks WHERE contract_name = ? AND last_at < ?")) {
            Sql.bind(st, contract, horizon);
            st.executeUpdate();
        }
        return lines;
    }

    /** Lines the index holds for {@code contract}. */
    public long size(Connection c, String contract) throws SQLException {
        return lines(c, "1 = 1", contract);
    }

    private static long lines(Connection c, String where, String contract, Object... more) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(SUM(row_count), 0) FROM shipped_blocks "
                + "WHERE contract_name = ? AND " + where)) {
            Object[] params = new Object[more.length + 1];
            params[0] = contract;
            System.arraycopy(more, 0, params, 1, more.length);
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
