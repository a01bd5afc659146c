package dev.exportdesk.engine.runs;

import dev.exportdesk.cdc.CaptureException;
import dev.exportdesk.cdc.LogicalSetup;
import dev.exportdesk.cdc.LogicalTable;
import dev.exportdesk.cdc.ReplicationSession;
import dev.exportdesk.cdc.XidSnapshot;
import dev.exportdesk.contract.CaptureSpec;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log-based capture plugged into the run protocol (issue 15, docs/cdc.md). A logical contract's
 * first run copies the table: the cursor capture's own keyset scan, each attempt in a REPEATABLE
 * READ transaction whose snapshot is recorded before it reads, so a copy resumed after a crash
 * needs no exported snapshot. Its upper bound is the slot's start. Every later run streams the slot
 * from the checkpoint's log position up to the position fixed when it started
 * ({@link LogicalStreamCapture}), skipping what the copy already holds. The slot is told a position
 * only once a completed run's checkpoint holds it: at the start of the next run.
 */
public final class LogicalCapture implements RunProtocol.CaptureSource {
    /** The scan phase of a stream run's chunks: changes between commit positions, not a key range. */
    public static final String STREAM = "STREAM";
    /** PostgreSQL's text of a log position: two hexadecimal halves. */
    private static final Pattern LSN_TEXT = Pattern.compile("[0-9A-F]{1,8}/[0-9A-F]{1,8}");
    private static final Logger LOG = LoggerFactory.getLogger(LogicalCapture.class);
    private final EngineContext ctx;
    private final CursorCapture cursor;

    public LogicalCapture(EngineContext ctx, CursorCapture cursor) {
        this.ctx = ctx;
        this.cursor = cursor;
    }

    @Override
    public RunRecord rebind(RunRecord planned) {
        return cursor.rebind(planned);
    }

    @Override
    public Optional<RunProtocol.Prepared> prepare(RunRecord planned, ContractService.LoadedContract loaded,
                                                  Connection source) {
        Optional<RunProtocol.Prepared> checked = cursor.prepare(planned, loaded, source);
        if (checked.isEmpty()) {
            return checked;
        }
        RunProtocol.Prepared p = checked.get();
        RunRecord run = p.run();
        Contract contract = loaded.contract();
        if (run.state() != RunState.FINALIZING && !fixed(run.upperBound())) {
            CaptureSpec capture = contract.capture();
            try {
                boolean allColumns = contract.columns() == null || contract.columns().isEmpty();
                LogicalSetup.check(source, LogicalTable.resolve(source, p.schema(), allColumns), capture.publication(),
                        capture.slot()).require();
            } catch (CaptureException e) {
                throw new EngineException(e.getMessage()); // what to change at the source, named; nothing was read
            }
            String position = RunPlanner.FULL.equals(run.mode()) ? slotStart(contract, source) : flushed(source);
            String upper = CursorCodec.encodeValue(position);
            ctx.store().update(c -> ctx.store().runs().fixBounds(c, run.id(), upper, null, p.schema().fingerprint()));
            LOG.info("{}: up to log position {}", RunPlanner.FULL.equals(run.mode()) ? "table copy, then the stream "
                    + "from the slot's start" : "stream from " + position(run.cursorFrom()), position);
        }
        RunRecord fixedRun = ctx.store().inTransaction(c -> ctx.store().runs().find(c, run.id())).orElseThrow();
        return Optional.of(new RunProtocol.Prepared(fixedRun, p.schema(), Duration.ZERO));
    }

    @Override
    public void capture(RunProtocol.Prepared p, Contract contract, Connection source, DeliveryPool delivery,
                        Path staging, ProgressListener listener)
            throws RunFailure, InterruptedException, SQLException, SchemaDrift {
        if (RunPlanner.FULL.equals(p.run().mode())) {
            copy(p, contract, source, delivery, staging, listener);
        } else {
            new LogicalStreamCapture(ctx, p, contract, source, delivery, staging, listener).run();
        }
    }

    /**
     * The copy: the snapshot this attempt reads under is recorded (with the first chunk it will seal)
     * before the scan's first row, in the transaction the scan then runs in.
     */
    private void copy(RunProtocol.Prepared p, Contract contract, Connection source, DeliveryPool delivery,
                      Path staging, ProgressListener listener) throws RunFailure, InterruptedException, SQLException {
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        XidSnapshot snapshot = XidSnapshot.current(source);
        String runId = p.run().id();
        ctx.store().update(c -> {
            int sealed = (int) ctx.store().chunks().forRun(c, runId).stream().filter(ch -> ch.state().sealed())
                    .mapToInt(ChunkRecord::seq).max().orElse(0);
            ctx.store().copySnapshots().record(c, runId, sealed + 1, snapshot.text());
        });
        LOG.info("table copy reads under snapshot {}", snapshot);
        cursor.capture(p, contract, source, delivery, staging, listener);
    }

    /**
     * Where the stream of a new slot starts: created now, or — when an attempt created it and died
     * before recording it — the position it still stands at, as nothing has streamed it.
     */
    private String slotStart(Contract contract, Connection source) {
        String slot = contract.capture().slot();
        try (PreparedStatement st = source.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                + "WHERE slot_name = ? AND database = current_database() AND plugin = 'pgoutput'")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    LOG.info("replication slot {} exists already (an earlier attempt created it); its stream starts at {}",
                            slot, rs.getString(1));
                    return rs.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new EngineException("cannot read replication slot \"" + slot + "\": " + e.getMessage());
        }
        SourceConnector.Login login = ctx.sources().login(contract.source());
        try (ReplicationSession session = ReplicationSession.open(login.driverUrl(), login.properties())) {
            String start = session.createSlot(slot).consistentPoint().asString();
            LOG.info("created replication slot {}: its stream starts at {}", slot, start);
            return start;
        } catch (CaptureException e) {
            throw new EngineException(e.getMessage());
        }
    }

    /** The source's flushed log position now: a stream run reads the transactions that committed before it. */
    private static String flushed(Connection source) {
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pg_current_wal_flush_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new EngineException("cannot read the source's log position: " + e.getMessage());
        }
    }

    private static boolean fixed(String upperBound) {
        return upperBound != null && !"null".equals(upperBound);
    }

    /** The checkpoint a completed logical run leaves: the log position the next stream starts from. */
    static String checkpoint(RunRecord run) {
        return CursorCodec.encode(new Object[] {CursorCodec.decodeValue(run.upperBound())});
    }

    /**
     * Whether a checkpoint's cursor is a log position (a logical contract's), not a cursor tuple — which
     * holds the cursor and key columns, so never a single value.
     */
    static boolean isPosition(String encodedCursor) {
        Object[] tuple = CursorCodec.decode(encodedCursor);
        return tuple.length == 1 && tuple[0] instanceof String text && LSN_TEXT.matcher(text).matches();
    }

    /** A log position as a run, a chunk or a checkpoint records it ({@code ["0/16B3748"]} or {@code "0/16B3748"}). */
    static LogSequenceNumber position(String encoded) {
        Object value = encoded.startsWith("[") ? CursorCodec.decode(encoded)[0] : CursorCodec.decodeValue(encoded);
        LogSequenceNumber lsn = LogSequenceNumber.valueOf(String.valueOf(value));
        if (lsn.equals(LogSequenceNumber.INVALID_LSN)) {
            throw new EngineException("not a log position in the state store: " + encoded);
        }
        return lsn;
    }
}
