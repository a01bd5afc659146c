package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tables {@code run_segments} and {@code segment_claims} (V23): the key ranges of a split run and who
 * captures each. A claim locks the run's row first, so the count of live holders that
 * {@code max_holders} caps cannot be raced past by two workers claiming at once.
 */
public final class SegmentRepository {
    private final SqlDialect dialect;

    SegmentRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The ranges of a run being split, numbered from 1 in ordering order; {@code bounds[i]}: after, up to. */
    public void insert(Connection c, String runId, List<String[]> bounds, int maxHolders) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_segments(run_id, segment, after_tuple, "
                + "up_to_tuple, max_holders, state, epoch) VALUES (?, ?, ?, ?, ?, 'OPEN', 0)")) {
            for (int i = 0; i < bounds.size(); i++) {
                Sql.bind(st, runId, i + 1, bounds.get(i)[0], bounds.get(i)[1], maxHolders);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public List<SegmentRow> forRun(Connection c, String runId) throws SQLException {
        List<SegmentRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM run_segments WHERE run_id = ? ORDER BY segment")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new SegmentRow(rs.getString("run_id"), rs.getInt("segment"), rs.getString("after_tuple"),
                            rs.getString("up_to_tuple"), rs.getInt("max_holders"),
                            SegmentState.valueOf(rs.getString("state")), rs.getLong("epoch"), rs.getString("holder"),
                            Sql.instant(rs, "expires_at"), rs.getString("error")));
                }
            }
        }
        return out;
    }

    /** Capturing runs with a segment nobody holds live, oldest run first. */
    public List<String> runsWithOpenSegments(Connection c, Instant now) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT s.run_id, r.planned_at FROM run_segments s "
                + "JOIN runs r ON r.id = s.run_id WHERE r.state = 'CAPTURING' AND (s.state = 'OPEN' "
                + "OR (s.state = 'HELD' AND s.expires_at < ?)) ORDER BY r.planned_at")) {
            Sql.bind(st, now);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Claims the first segment of the run nobody holds live, if fewer than its {@code max_holders}
     * hold one now: a new epoch, and the expired claim it replaces closed. Empty when there is none or
     * the cap is reached. Locks the run's row until the transaction ends.
     */
    public Optional<Lease> claim(Connection c, String runId, String holder, Duration timeout, Instant now)
            throws SQLException {
        if (!RunRepository.lock(c, runId)) {
            return Optional.empty();
        }
        List<SegmentRow> segments = forRun(c, runId);
        long live = segments.stream().filter(s -> s.state() == SegmentState.HELD && !s.expiresAt().isBefore(now))
                .count();
        for (SegmentRow s : segments) {
            if (live >= s.maxHolders()) {
                return Optional.empty();
            }
            boolean expired = s.state() == SegmentState.HELD && s.expiresAt().isBefore(now);
            if (s.state() != SegmentState.OPEN && !expired) {
                continue;
            }
            Lease lease = new Lease(runId, s.epoch() + 1, holder, timeout, s.segment());
            try (PreparedStatement st = c.prepareStatement("UPDATE run_segments SET state = 'HELD', epoch = ?, "
                    + "holder = ?, expires_at = ? WHERE run_id = ? AND segment = ? AND epoch = ?")) {
                Sql.bind(st, lease.epoch(), holder, now.plus(timeout), runId, s.segment(), s.epoch());
                if (st.executeUpdate() != 1) {
                    continue;
                }
            }
            if (expired) {
                end(c, runId, s.segment(), s.epoch(), now, s.expiresAt(), "TAKEN_OVER");
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO segment_claims(run_id, segment, epoch, holder, "
                    + "claimed_at) VALUES (?, ?, ?, ?, ?)")) {
                Sql.bind(st, runId, s.segment(), lease.epoch(), holder, now);
                st.executeUpdate();
            }
            return Optional.of(lease);
        }
        return Optional.empty();
    }

    /**
     * The fence of a segment's lease: passes only while it is the segment's current, held claim, and
     * locks the row (shared on PostgreSQL) until the transaction ends, so a takeover waits for it; the
     * takeover's wait is bounded by the idle-in-transaction timeout this sets.
     */
    public void check(Connection c, Lease lease) throws SQLException {
        // a worker frozen inside this transaction may hold the run's row lock, which sealing takes
        FenceRow row = FenceRow.lock(c, dialect, "run_segments", true, "run_id = ? AND segment = ?", lease,
                lease.runId(), lease.segment())
                .orElseThrow(() -> new LeaseLostException(lease, "segment " + lease.segment() + " of the run is unknown"));
        if (row.epoch() != lease.epoch()) {
            throw new LeaseLostException(lease, "segment " + lease.segment() + ": " + (row.holder() == null
                    ? "another worker claimed it since and gave it up again"
                    : "worker " + row.holder() + " claimed it since") + " (epoch " + row.epoch() + ")");
        }
        if (!SegmentState.HELD.name().equals(row.state())) {
            throw new LeaseLostException(lease, "segment " + lease.segment() + " is " + row.state().toLowerCase()
                    + " meanwhile");
        }
    }

    /** Extends a held segment claim by its timeout; false when it is not this claim any more. */
    public boolean renew(Connection c, Lease lease, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE run_segments SET expires_at = ? WHERE run_id = ? "
                + "AND segment = ? AND epoch = ? AND state = 'HELD'")) {
            Sql.bind(st, now.plus(lease.timeout()), lease.runId(), lease.segment(), lease.epoch());
            return st.executeUpdate() == 1;
        }
    }

    /** Ends a held claim as CAPTURED, FAILED (with {@code error}) or OPEN again; false when it was not held. */
    public boolean finish(Connection c, Lease lease, SegmentState to, String error, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE run_segments SET state = ?, holder = NULL, "
                + "expires_at = NULL, error = ? WHERE run_id = ? AND segment = ? AND epoch = ? AND state = 'HELD'")) {
            Sql.bind(st, to.name(), error == null ? null : Sql.message(error, 4000), lease.runId(), lease.segment(),
                    lease.epoch());
            if (st.executeUpdate() != 1) {
                return false;
            }
        }
        end(c, lease.runId(), lease.segment(), lease.epoch(), now, null, to.name());
        return true;
    }

    /** A resumed run tries its failed ranges again. */
    public int reopenFailed(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE run_segments SET state = 'OPEN', error = NULL "
                + "WHERE run_id = ? AND state = 'FAILED'")) {
            Sql.bind(st, runId);
            return st.executeUpdate();
        }
    }

    /** Ranges held now, oldest claim first, as the Workers view lists holdings. */
    public List<LeaseRow> held(Connection c) throws SQLException {
        List<LeaseRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT s.run_id, r.contract_name, r.sequence, s.epoch, "
                + "s.holder, s.expires_at, s.segment, h.claimed_at FROM run_segments s JOIN runs r ON r.id = s.run_id "
                + "JOIN segment_claims h ON h.run_id = s.run_id AND h.segment = s.segment AND h.epoch = s.epoch "
                + "WHERE s.state = 'HELD' ORDER BY h.claimed_at");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new LeaseRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        LeaseState.HELD, Sql.instant(rs, "claimed_at"), Sql.instant(rs, "expires_at"), rs.getInt(7)));
            }
        }
        return out;
    }

    /** One claim of a segment; {@code endedAt} null while live (or expired and not yet taken over). */
    public record Claim(String runId, int segment, long epoch, String holder, Instant claimedAt, Instant endedAt,
                        Instant expiredAt) {
    }

    /** Every segment claim ever made, by run, segment and epoch. */
    public List<Claim> claims(Connection c) throws SQLException {
        List<Claim> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT run_id, segment, epoch, holder, claimed_at, ended_at, "
                + "expired_at FROM segment_claims ORDER BY run_id, segment, epoch");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Claim(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                        Sql.instant(rs, "claimed_at"), Sql.instant(rs, "ended_at"), Sql.instant(rs, "expired_at")));
            }
        }
        return out;
    }

    private void end(Connection c, String runId, int segment, long epoch, Instant now, Instant expiredAt, String reason)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE segment_claims SET ended_at = ?, expired_at = ?, "
                + "end_reason = ? WHERE run_id = ? AND segment = ? AND epoch = ? AND ended_at IS NULL")) {
            Sql.bind(st, now, expiredAt, reason, runId, segment, epoch);
            st.executeUpdate();
        }
    }
}
