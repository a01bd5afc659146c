package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tables {@code run_leases} and {@code lease_history} (V20). Lease times are the store's clock, read
 * in the claiming transaction, so workers on machines whose clocks disagree still agree on expiry.
 * Claims lock the run's lease row (or the run's row before its first lease), so two workers can never
 * both win one; candidates are picked with {@code FOR UPDATE SKIP LOCKED}.
 */
public final class LeaseRepository {
    /** How long a claim waits for a row another transaction holds before giving up for this round. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(5);
    private final SqlDialect dialect;

    LeaseRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The store's clock, at microseconds. */
    public Instant storeNow(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /**
     * Bounds this transaction's waits: a row lock held by a stopped worker's open transaction is given
     * up on after {@link #LOCK_WAIT}, and this session is ended by the store if it sits idle in the
     * transaction longer than {@code idle} (so a worker stopped mid-transaction never blocks a takeover).
     */
    public void boundWaits(Connection c, Duration idle) throws SQLException {
        if (dialect != SqlDialect.POSTGRESQL) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT set_config('lock_timeout', ?, true), "
                + "set_config('idle_in_transaction_session_timeout', ?, true)")) {
            Sql.bind(st, LOCK_WAIT.toMillis() + "ms", Math.max(1000, idle.toMillis()) + "ms");
            st.executeQuery().close();
        }
    }

    /**
     * The fence: passes only while {@code lease} is the run's current, held lease. Locks the lease row
     * for the rest of the transaction (shared on PostgreSQL, so a holder's own transactions never wait
     * for each other), so a takeover, which updates the row, waits until this transaction has committed
     * and can never slip between the check and the writes that follow it.
     */
    public void check(Connection c, Lease lease) throws SQLException {
        FenceRow row = FenceRow.lock(c, dialect, "run_leases", true, "run_id = ?", lease, lease.runId())
                .orElseThrow(() -> new LeaseLostException(lease, "the run has no lease in the store"));
        if (row.epoch() != lease.epoch()) {
            throw new LeaseLostException(lease, (row.holder() == null ? "another worker claimed it since and "
                    + "released it again" : "worker " + row.holder() + " claimed it since") + " (epoch " + row.epoch() + ")");
        }
        if (!LeaseState.HELD.name().equals(row.state())) {
            throw new LeaseLostException(lease, "the lease was " + row.state().toLowerCase() + " meanwhile");
        }
    }

    /** Locks the run's row for a claim; false when another transaction holds it (try again later). */
    public boolean lockRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM runs WHERE id = ? FOR UPDATE SKIP LOCKED")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Locks the contract's row while a worker decides whether to start it, so exactly one worker
     * decides at a time; false when another is deciding now.
     */
    public boolean lockContract(Connection c, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT name FROM contracts WHERE name = ? FOR UPDATE SKIP LOCKED")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<LeaseRow> find(Connection c, String runId) throws SQLException {
        List<LeaseRow> rows = rows(c, "SELECT l.*, r.contract_name, r.sequence FROM run_leases l JOIN runs r "
                + "ON r.id = l.run_id WHERE l.run_id = ?", runId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * Unfinished runs whose lease a worker may take over now: expired while held (its worker went
     * silent) or parked (its worker stopped cleanly). Locked for this transaction, skipping rows
     * another worker is claiming at this moment.
     */
    public List<String> takeable(Connection c, Instant now, int limit) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT run_id FROM run_leases WHERE ((state = 'HELD' "
                + "AND expires_at < ?) OR state = 'PARKED') AND run_id IN (SELECT id FROM runs WHERE state NOT IN "
                + "('COMPLETED', 'RESYNC_REQUIRED')) ORDER BY expires_at FETCH FIRST " + limit + " ROWS ONLY FOR UPDATE SKIP LOCKED")) {
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
     * Closes leases that expired on runs already completed: their worker died between completing the
     * run and releasing it. Nobody takes such a run over, so without this the dead worker would seem
     * to hold it for ever. Returns how many were closed.
     */
    public int closeExpiredOfCompleted(Connection c, Instant now) throws SQLException {
        List<LeaseRow> stale = rows(c, "SELECT l.*, r.contract_name, r.sequence FROM run_leases l JOIN runs r ON "
                + "r.id = l.run_id WHERE l.state = 'HELD' AND l.expires_at < ? AND r.state = 'COMPLETED'", now);
        int closed = 0;
        for (LeaseRow l : stale) {
            // the epoch in the condition makes this safe beside a worker releasing the same lease now
            try (PreparedStatement st = c.prepareStatement("UPDATE run_leases SET holder = NULL, state = 'RELEASED' "
                    + "WHERE run_id = ? AND epoch = ? AND state = 'HELD'")) {
                Sql.bind(st, l.runId(), l.epoch());
                if (st.executeUpdate() == 1) {
                    end(c, l.runId(), l.epoch(), now, l.expiresAt(), "EXPIRED");
                    closed++;
                }
            }
        }
        return closed;
    }

    /**
     * Claims the run for {@code holder} if nobody holds it live: no lease yet, parked, released (when
     * {@code evenReleased}; released with a later {@code expires_at} only once that has passed, the
     * retry pause after a failure) or expired. The caller holds the run's row lock ({@link #lockRun}).
     * Returns the new lease, its epoch one above the last, and how the claim is recorded: {@code how},
     * except that ending an expired lease is a {@link LeaseHow#TAKEOVER} whichever way the run was found.
     */
    public Optional<Claimed> claim(Connection c, String runId, String holder, Duration timeout, LeaseHow how,
                                   boolean evenReleased) throws SQLException {
        Instant now = storeNow(c);
        Optional<LeaseRow> current = find(c, runId);
        if (current.isEmpty()) {
            return Optional.of(new Claimed(insert(c, runId, holder, timeout, how, now), how));
        }
        LeaseRow l = current.get();
        boolean free = switch (l.state()) {
            case PARKED -> true;
            case HELD -> l.expiresAt().isBefore(now);
            case RELEASED -> evenReleased || l.expiresAt().isBefore(now);
        };
        if (!free) {
            return Optional.empty();
        }
        Lease lease = new Lease(runId, l.epoch() + 1, holder, timeout);
        try (PreparedStatement st = c.prepareStatement("UPDATE run_leases SET epoch = ?, holder = ?, state = 'HELD', "
                + "claimed_at = ?, expires_at = ? WHERE run_id = ? AND epoch = ?")) {
            Sql.bind(st, lease.epoch(), holder, now, now.plus(timeout), runId, l.epoch());
            if (st.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        LeaseHow recorded = how;
        if (l.state() == LeaseState.HELD) {
            end(c, runId, l.epoch(), now, l.expiresAt(), "TAKEN_OVER");
            recorded = LeaseHow.TAKEOVER;
        }
        history(c, lease, now, recorded);
        return Optional.of(new Claimed(lease, recorded));
    }

    /** A claim made: the lease, and how it is recorded in the history. */
    public record Claimed(Lease lease, LeaseHow how) {
    }

    /** The first lease of a run just planned in this transaction. */
    public Lease insert(Connection c, String runId, String holder, Duration timeout, LeaseHow how, Instant now)
            throws SQLException {
        Lease lease = new Lease(runId, 1, holder, timeout);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_leases(run_id, epoch, holder, state, "
                + "claimed_at, expires_at) VALUES (?, ?, ?, 'HELD', ?, ?)")) {
            Sql.bind(st, runId, lease.epoch(), holder, now, now.plus(timeout));
            st.executeUpdate();
        }
        history(c, lease, now, how);
        return lease;
    }

    /** Extends a held lease by its timeout from now; false when it is not this lease any more. */
    public boolean renew(Connection c, Lease lease) throws SQLException {
        Instant now = storeNow(c);
        try (PreparedStatement st = c.prepareStatement("UPDATE run_leases SET expires_at = ? WHERE run_id = ? "
                + "AND epoch = ? AND state = 'HELD'")) {
            Sql.bind(st, now.plus(lease.timeout()), lease.runId(), lease.epoch());
            return st.executeUpdate() == 1;
        }
    }

    /**
     * Gives the lease up as {@code state} (PARKED or RELEASED); a released lease may be claimed by
     * the schedule again only after {@code pause}. False when it was not this lease any more.
     */
    public boolean release(Connection c, Lease lease, LeaseState state, Duration pause) throws SQLException {
        Instant now = storeNow(c);
        try (PreparedStatement st = c.prepareStatement("UPDATE run_leases SET holder = NULL, state = ?, "
                + "expires_at = ? WHERE run_id = ? AND epoch = ? AND state = 'HELD'")) {
            Sql.bind(st, state.name(), now.plus(pause), lease.runId(), lease.epoch());
            if (st.executeUpdate() != 1) {
                return false;
            }
        }
        end(c, lease.runId(), lease.epoch(), now, null, state.name());
        return true;
    }

    /** Held leases, oldest claim first: what each worker holds. */
    public List<LeaseRow> held(Connection c) throws SQLException {
        return rows(c, "SELECT l.*, r.contract_name, r.sequence FROM run_leases l JOIN runs r ON r.id = l.run_id "
                + "WHERE l.state = 'HELD' ORDER BY l.claimed_at");
    }

    /** Every claim ever made, by run then epoch. */
    public List<LeaseHistoryRow> history(Connection c) throws SQLException {
        List<LeaseHistoryRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM lease_history ORDER BY run_id, epoch");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new LeaseHistoryRow(rs.getString("run_id"), rs.getLong("epoch"), rs.getString("holder"),
                        Sql.instant(rs, "claimed_at"), LeaseHow.valueOf(rs.getString("how")),
                        Sql.instant(rs, "ended_at"), Sql.instant(rs, "expired_at"), rs.getString("end_reason")));
            }
        }
        return out;
    }

    /**
     * The newest {@code limit} takeovers, newest first: claims made by taking over a run (its
     * worker went silent or stopped), each with the holder of the epoch before.
     */
    public List<LeaseTakeover> takeovers(Connection c, int limit) throws SQLException {
        List<LeaseTakeover> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT h.run_id, r.contract_name, r.sequence, h.epoch, "
                + "p.holder AS from_holder, h.holder AS to_holder, h.claimed_at FROM lease_history h JOIN runs r "
                + "ON r.id = h.run_id LEFT JOIN lease_history p ON p.run_id = h.run_id AND p.epoch = h.epoch - 1 "
                + "WHERE h.how = ? ORDER BY h.claimed_at DESC, h.run_id FETCH FIRST " + limit + " ROWS ONLY")) {
            st.setString(1, LeaseHow.TAKEOVER.name());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new LeaseTakeover(rs.getString("run_id"), rs.getString("contract_name"),
                            rs.getLong("sequence"), rs.getLong("epoch"), rs.getString("from_holder"),
                            rs.getString("to_holder"), Sql.instant(rs, "claimed_at")));
                }
            }
        }
        return out;
    }

    private void history(Connection c, Lease lease, Instant now, LeaseHow how) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO lease_history(run_id, epoch, holder, claimed_at, "
                + "how) VALUES (?, ?, ?, ?, ?)")) {
            Sql.bind(st, lease.runId(), lease.epoch(), lease.holder(), now, how.name());
            st.executeUpdate();
        }
    }

    private void end(Connection c, String runId, long epoch, Instant now, Instant expiredAt, String reason)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE lease_history SET ended_at = ?, expired_at = ?, "
                + "end_reason = ? WHERE run_id = ? AND epoch = ? AND ended_at IS NULL")) {
            Sql.bind(st, now, expiredAt, reason, runId, epoch);
            st.executeUpdate();
        }
    }

    private static List<LeaseRow> rows(Connection c, String sql, Object... params) throws SQLException {
        List<LeaseRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new LeaseRow(rs.getString("run_id"), rs.getString("contract_name"),
                            rs.getLong("sequence"), rs.getLong("epoch"), rs.getString("holder"),
                            LeaseState.valueOf(rs.getString("state")), Sql.instant(rs, "claimed_at"),
                            Sql.instant(rs, "expires_at")));
                }
            }
        }
        return out;
    }
}
