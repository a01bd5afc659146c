package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunks of one run a page at a time, each with its latest recorded check, so the console can open
 * a run with 100,000 chunks incrementally and append only new chunks while a run progresses.
 * (Added for the console, issue 6; read-only.)
 */
public final class ChunkPageQuery {

    /**
     * A chunk and its most recent verification (outcome null when never checked); {@code
     * measuredSha256} is the file hash that check recorded (V9; null before, or when it read none).
     */
    public record ChunkWithCheck(ChunkRecord chunk, String checkOutcome, Instant checkedAt, String checkDetail,
                                 String measuredSha256) {
        /**
         * A file SHA-256 in a delivery check's detail as the delivery verifier writes it: "N rows,
         * sha256 H" on a pass, "…sha256 H, manifest says S…" when the file differs ("content sha256"
         * is the uncompressed hash and does not count).
         */
        private static final java.util.regex.Pattern MEASURED =
                java.util.regex.Pattern.compile("(?:^|[:;,] )sha256 ([0-9a-f]{64})");

        /**
         * The SHA-256 of the file as the last delivery check re-read it at the destination, also when
         * it does not decompress; null when the chunk was never checked or its file could not be read
         * there (missing). Checks recorded before V9 kept the hash only in their detail.
         */
        public String destinationSha256() {
            if (measuredSha256 != null || checkDetail == null) {
                return measuredSha256;
            }
            java.util.regex.Matcher m = MEASURED.matcher(checkDetail);
            if (m.find()) {
                return m.group(1);
            }
            // a failed check that names no differing file hash found the file's hash as shipped
            // (only its size, rows or content disagreed); missing or unreadable files have none
            boolean unreadable = checkDetail.contains("missing at the destination")
                    || checkDetail.contains("unreadable");
            return "mismatch".equals(checkOutcome) && !unreadable && chunk != null ? chunk.sha256() : null;
        }
    }

    /**
     * Ordered by the whole primary key, not by seq alone: H2 then reads the key index in order and
     * stops after {@code limit} rows. Ordered by seq it read and sorted every chunk of the run for
     * each page (100,000 rows per page of a large run). PostgreSQL plans both the same way.
     */
    static String pageSql(int limit) {
        return "SELECT * FROM chunks WHERE run_id = ? AND seq > ? ORDER BY run_id, seq FETCH FIRST "
                + Math.max(1, limit) + " ROWS ONLY";
    }

    /** Up to {@code limit} chunks with {@code seq > afterSeq}, in sequence order. */
    public List<ChunkWithCheck> page(Connection c, String runId, int afterSeq, int limit) throws SQLException {
        List<ChunkRecord> chunks = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(pageSql(limit))) {
            Sql.bind(st, runId, afterSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    chunks.add(ChunkRepository.map(rs));
                }
            }
        }
        if (chunks.isEmpty()) {
            return List.of();
        }
        Map<Integer, ChunkWithCheck> checks = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT chunk_seq, outcome, verified_at, detail, "
                + "destination_sha256 FROM verifications WHERE run_id = ? AND chunk_seq BETWEEN ? AND ? "
                + "ORDER BY id")) {
            Sql.bind(st, runId, chunks.get(0).seq(), chunks.get(chunks.size() - 1).seq());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    checks.put(rs.getInt("chunk_seq"), new ChunkWithCheck(null, rs.getString("outcome"),
                            Sql.instant(rs, "verified_at"), rs.getString("detail"),
                            rs.getString("destination_sha256")));
                }
            }
        }
        List<ChunkWithCheck> out = new ArrayList<>(chunks.size());
        for (ChunkRecord chunk : chunks) {
            ChunkWithCheck check = checks.get(chunk.seq());
            out.add(check == null ? new ChunkWithCheck(chunk, null, null, null, null)
                    : new ChunkWithCheck(chunk, check.checkOutcome(), check.checkedAt(), check.checkDetail(),
                    check.measuredSha256()));
        }
        return out;
    }

    /**
     * A chunk's outcome in the latest deep (source-level) verification of its run: classification
     * (a {@code ChunkClass} name) and drift counts; {@code verificationId} points at its drift rows.
     */
    public record Reconciliation(long verificationId, int chunkSeq, String classification, long rowsChanged,
                                 long rowsMissing, long rowsExtra, String detail, Instant at) {
    }

    /** A key found by bisection and how it differs (a {@code RowDiff.Kind} name). */
    public record DifferingKey(String rowKey, String kind) {
    }

    /** The id and finish time of the run's latest deep verification, if any (a small table). */
    public java.util.Optional<Map.Entry<Long, Instant>> latestDeepPass(Connection c, String runId)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, finished_at FROM verification_runs "
                + "WHERE run_id = ? AND level = 'deep' ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? java.util.Optional.of(Map.entry(rs.getLong(1), Sql.instant(rs, "finished_at")))
                        : java.util.Optional.empty();
            }
        }
    }

    /**
     * The latest deep verification's outcome for the chunks with {@code fromSeq <= seq <= toSeq}
     * (one query per page, keyed by sequence; chunks without one are absent).
     */
    public Map<Integer, Reconciliation> reconciliations(Connection c, String runId, int fromSeq, int toSeq)
            throws SQLException {
        Map<Integer, Reconciliation> out = new HashMap<>();
        var pass = latestDeepPass(c, runId);
        if (pass.isEmpty()) {
            return out;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT chunk_seq, classification, rows_changed, "
                + "rows_missing, rows_extra, detail FROM chunk_reconciliations WHERE verification_id = ? "
                + "AND chunk_seq BETWEEN ? AND ?")) {
            Sql.bind(st, pass.get().getKey(), fromSeq, toSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int seq = rs.getInt("chunk_seq");
                    out.put(seq, new Reconciliation(pass.get().getKey(), seq, rs.getString("classification"),
                            rs.getLong("rows_changed"), rs.getLong("rows_missing"), rs.getLong("rows_extra"),
                            rs.getString("detail"), pass.get().getValue()));
                }
            }
        }
        return out;
    }

    /** The keys bisection found for one chunk in one verification pass, in the order recorded. */
    public List<DifferingKey> differingKeys(Connection c, long verificationId, int chunkSeq, int limit)
            throws SQLException {
        List<DifferingKey> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT row_key, kind FROM drift_rows WHERE "
                + "verification_id = ? AND chunk_seq = ? ORDER BY id FETCH FIRST " + Math.max(1, limit)
                + " ROWS ONLY")) {
            Sql.bind(st, verificationId, chunkSeq);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DifferingKey(rs.getString("row_key"), rs.getString("kind")));
                }
            }
        }
        return out;
    }

    public int count(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM chunks WHERE run_id = ?")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
