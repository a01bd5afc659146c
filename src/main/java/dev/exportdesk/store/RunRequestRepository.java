package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Table {@code run_requests} (V20). */
public final class RunRequestRepository {
    private static final int MAX_OUTCOME = 4000;

    public void insert(Connection c, RunRequest r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_requests(id, kind, contract_name, run_id, "
                + "requested_by, requested_at, state) VALUES (?, ?, ?, ?, ?, ?, 'PENDING')")) {
            Sql.bind(st, r.id(), r.kind().name(), r.contract(), r.runId(), r.requestedBy(), r.requestedAt());
            st.executeUpdate();
        }
    }

    public Optional<RunRequest> find(Connection c, String id) throws SQLException {
        List<RunRequest> rows = rows(c, "SELECT * FROM run_requests WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * The oldest pending Run now or Resume, locked for this transaction and skipped by other workers
     * meanwhile; the caller marks it taken in the same transaction.
     */
    public Optional<RunRequest> nextPending(Connection c) throws SQLException {
        List<RunRequest> rows = rows(c, "SELECT * FROM run_requests WHERE state = 'PENDING' AND kind IN ('RUN', "
                + "'RESUME', 'CORRECT') ORDER BY requested_at, id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED");
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Pending cancels, oldest first, locked and skipped by other workers meanwhile. */
    public List<RunRequest> pendingCancels(Connection c) throws SQLException {
        return rows(c, "SELECT * FROM run_requests WHERE state = 'PENDING' AND kind = 'CANCEL' ORDER BY "
                + "requested_at, id FOR UPDATE SKIP LOCKED");
    }

    /** Marks the request taken by {@code worker} for {@code runId} (the run a Run now planned or found). */
    public void take(Connection c, String id, String worker, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE run_requests SET state = 'TAKEN', taken_by = ?, run_id = COALESCE(run_id, ?) WHERE id = ?")) {
            Sql.bind(st, worker, runId, id);
            st.executeUpdate();
        }
    }

    /**
     * Finishes every taken Run now or Resume of {@code runId}, whichever worker took it: after a
     * takeover the worker that completes the run answers the requests the lost worker had taken.
     */
    public void finishTaken(Connection c, String runId, RunRequest.State state, String outcome, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE run_requests SET state = ?, outcome = ?, "
                + "finished_at = ? WHERE run_id = ? AND state = 'TAKEN' AND kind IN ('RUN', 'RESUME', 'CORRECT')")) {
            Sql.bind(st, state.name(), Sql.message(outcome, MAX_OUTCOME), now, runId);
            st.executeUpdate();
        }
    }

    public void finish(Connection c, String id, RunRequest.State state, String outcome, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE run_requests SET state = ?, outcome = ?, finished_at = ? WHERE id = ?")) {
            Sql.bind(st, state.name(), Sql.message(outcome, MAX_OUTCOME), now, id);
            st.executeUpdate();
        }
    }

    /** The newest {@code limit} requests, newest first. */
    public List<RunRequest> recent(Connection c, int limit) throws SQLException {
        return rows(c, "SELECT * FROM run_requests ORDER BY requested_at DESC, id FETCH FIRST " + limit
                + " ROWS ONLY");
    }

    private static List<RunRequest> rows(Connection c, String sql, Object... params) throws SQLException {
        List<RunRequest> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRequest(rs.getString("id"), RunRequest.Kind.valueOf(rs.getString("kind")),
                            rs.getString("contract_name"), rs.getString("run_id"), rs.getString("requested_by"),
                            Sql.instant(rs, "requested_at"), RunRequest.State.valueOf(rs.getString("state")),
                            rs.getString("taken_by"), Sql.instant(rs, "finished_at"), rs.getString("outcome")));
                }
            }
        }
        return out;
    }
}
