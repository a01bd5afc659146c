package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates over the state store for metrics and alerts: read from the store, not from one
 * process's memory, so every process that serves them tells the same, whole team's truth. Each
 * query is grouped by contract (bounded by the number of contracts) or capped.
 */
public final class ObservationRepository {
    /** Recorded receipt problems looked at per evaluation: the newest ones. */
    public static final int MAX_RECEIPT_PROBLEMS = 200;

    public record RunCount(String contract, String state, long count) {
    }

    /** Per contract: rows and bytes in delivered chunks, and delivery attempts beyond each chunk's first. */
    public record Shipped(String contract, long rows, long bytes, long retries) {
    }

    public record Count(String contract, long count) {
    }

    /** A run that stopped (FAILED or SCHEMA_DRIFT) and is not resumed yet. */
    public record StoppedRun(String runId, String contract, long sequence, RunState state) {
    }

    /** A recorded receipt outcome that needs a person: REJECTED or REDELIVER. */
    public record ReceiptProblem(String runId, String contract, long sequence, String state) {
    }

    /** A registered worker and its last heartbeat (team mode). */
    public record Worker(String name, Instant lastHeartbeat) {
    }

    public List<RunCount> runsByState(Connection c) throws SQLException {
        List<RunCount> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT contract_name, state, COUNT(*) FROM runs "
                + "GROUP BY contract_name, state ORDER BY contract_name, state");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new RunCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    public List<Shipped> shipped(Connection c) throws SQLException {
        List<Shipped> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT r.contract_name, "
                + "SUM(CASE WHEN ch.state IN ('DELIVERED', 'VERIFIED') THEN ch.row_count ELSE 0 END), "
                + "SUM(CASE WHEN ch.state IN ('DELIVERED', 'VERIFIED') THEN ch.byte_count ELSE 0 END), "
                + "SUM(CASE WHEN ch.attempts > 1 THEN ch.attempts - 1 ELSE 0 END) "
                + "FROM chunks ch JOIN runs r ON r.id = ch.run_id WHERE ch.seq > 0 GROUP BY r.contract_name "
                + "ORDER BY r.contract_name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Shipped(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return out;
    }

    /** Failed attempts per contract, from the audit log ({@code run.fail} names the run). */
    public List<Count> failures(Connection c) throws SQLException {
        List<Count> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT r.contract_name, COUNT(*) FROM audit_log a "
                + "JOIN runs r ON r.id = a.subject WHERE a.action = 'run.fail' GROUP BY r.contract_name "
                + "ORDER BY r.contract_name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Count(rs.getString(1), rs.getLong(2)));
            }
        }
        return out;
    }

    /** Claims that took a run over from a worker that went silent or stopped ({@code lease_history}, V20). */
    public long takeovers(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM lease_history WHERE how = ?")) {
            st.setString(1, LeaseHow.TAKEOVER.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public List<StoppedRun> stopped(Connection c) throws SQLException {
        List<StoppedRun> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, contract_name, sequence, state FROM runs "
                + "WHERE state IN ('FAILED', 'SCHEMA_DRIFT', 'RESYNC_REQUIRED') ORDER BY contract_name, sequence");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new StoppedRun(rs.getString(1), rs.getString(2), rs.getLong(3),
                        RunState.valueOf(rs.getString(4))));
            }
        }
        return out;
    }

    public List<ReceiptProblem> receiptProblems(Connection c) throws SQLException {
        List<ReceiptProblem> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT r.id, r.contract_name, r.sequence, a.state "
                + "FROM run_acks a JOIN runs r ON r.id = a.run_id WHERE a.state IN ('REJECTED', 'REDELIVER') "
                + "ORDER BY a.checked_at DESC FETCH FIRST " + MAX_RECEIPT_PROBLEMS + " ROWS ONLY");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new ReceiptProblem(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return out;
    }

    /**
     * The workers that have not stopped, with their heartbeats (team mode; none in a solo store). A
     * worker that stopped cleanly is not silent, however old its last heartbeat.
     */
    public List<Worker> workers(Connection c) throws SQLException {
        List<Worker> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT name, heartbeat_at FROM workers WHERE state <> 'STOPPED' "
                + "ORDER BY name FETCH FIRST 1000 ROWS ONLY");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Worker(rs.getString(1), Sql.instant(rs, "heartbeat_at")));
            }
        }
        return out;
    }
}
