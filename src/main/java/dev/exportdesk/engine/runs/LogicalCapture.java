package dev.exportdesk.engine.runs;

import dev.exportdesk.cdc.CaptureException;
import dev.exportdesk.cdc.ExportedSnapshot;
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
import dev.exportdesk.store.RunMode;
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
    /** PostgreSQL's text of a log position: two hexadecimal halves. */
    private static final Pattern LSN_TEXT = Pattern.compile("[0-9A-F]{1,8}/[0-9A-F]{1,8}");
    private static final Logger LOG = LoggerFactory.getLogger(LogicalCapture.class);
    /** How long a copy waits for transactions the slot's snapshot counted to become visible before the attempt fails. */
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(60);
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
            SlotStart start = run.mode() == RunMode.FULL ? slotStart(contract, source)
                    : new SlotStart(flushed(source), null);
            String position = start.position();
            String upper = CursorCodec.encodeValue(position);
            ctx.store().update(c -> {
                ctx.store().runs().fixBounds(c, run.id(), upper, null, p.schema().fingerprint());
                if (start.exported() != null) {
                    ctx.store().copySnapshots().recordSlotExport(c, run.id(), start.exported().text());
                }
            });
            LOG.info("{}: up to log position {}", run.mode() == RunMode.FULL ? "table copy, then the stream "
                    + "from the slot's start" : "stream from " + position(run.cursorFrom()), position);
        }
        RunRecord fixedRun = ctx.store().inTransaction(c -> ctx.store().runs().find(c, run.id())).orElseThrow();
        return Optional.of(new RunProtocol.Prepared(fixedRun, p.schema(), Duration.ZERO));
    }

    @Override
    public void capture(RunProtocol.Prepared p, Contract contract, Connection source, DeliveryPool delivery,
                        Path staging, ProgressListener listener)
            throws RunFailure, InterruptedException, SQLException, SchemaDrift, ResyncNeeded {
        if (p.run().mode() == RunMode.FULL) {
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
        String runId = p.run().id();
        Optional<XidSnapshot> export = ctx.store().inTransaction(c -> ctx.store().copySnapshots().slotExport(c, runId))
                .map(XidSnapshot::parse);
        XidSnapshot snapshot = visibleSince(source, export);
        ctx.store().update(c -> {
            int sealed = (int) ctx.store().chunks().forRun(c, runId).stream().filter(ch -> ch.state().sealed())
                    .mapToInt(ChunkRecord::seq).max().orElse(0);
            ctx.store().copySnapshots().record(c, runId, sealed + 1, snapshot.text());
        });
        LOG.info("table copy reads under snapshot {}", snapshot);
        cursor.capture(p, contract, source, delivery, staging, listener);
    }

    /**
     * A snapshot of a new transaction on {@code source} that sees everything the slot's exported
     * snapshot saw: a transaction committed in the log before the slot's start but not yet visible
     * to other sessions (a commit waiting for a synchronous standby) belongs to the copy, as the slot
     * will never give it. PostgreSQL 15.20 waits for such transactions before it exports a slot's
     * snapshot (cdc.CopyAtSlotStartTest); this makes the hand-off exact on a server that does not.
     */
    private static XidSnapshot visibleSince(Connection source, Optional<XidSnapshot> export)
            throws SQLException, InterruptedException, RunFailure {
        XidSnapshot snapshot = XidSnapshot.current(source);
        long deadline = System.nanoTime() + EXPORT_WAIT.toNanos();
        if (export.isPresent() && !snapshot.seesAllOf(export.get())) {
            LOG.info("waiting for transactions committed before the slot's start to become visible ({} against {})",
                    snapshot, export.get());
        }
        while (export.isPresent() && !snapshot.seesAllOf(export.get())) {
            source.rollback();
            if (System.nanoTime() > deadline) {
                throw new RunFailure("transactions that committed before the replication slot's start are still not "
                        + "visible at the source after " + EXPORT_WAIT.toSeconds() + " s (" + snapshot + " against "
                        + export.get() + "), e.g. commits waiting for a synchronous standby; the copy resumes later");
            }
            Thread.sleep(100);
            snapshot = XidSnapshot.current(source);
        }
        return snapshot;
    }

    /** Where a new slot's stream starts, and the snapshot the server exported with it (null for an adopted slot). */
    private record SlotStart(String position, XidSnapshot exported) {
    }

    /**
     * Where the stream of a new slot starts: created now, or — when an attempt created it and died
     * before recording it — the position it still stands at, as nothing has streamed it.
     */
    private SlotStart slotStart(Contract contract, Connection source) {
        String slot = contract.capture().slot();
        try (PreparedStatement st = source.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                + "WHERE slot_name = ? AND database = current_database() AND plugin = 'pgoutput'")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    LOG.info("replication slot {} exists already (an earlier attempt created it); its stream starts at {}",
                            slot, rs.getString(1));
                    return new SlotStart(rs.getString(1), null);
                }
            }
        } catch (SQLException e) {
            throw new EngineException("cannot read replication slot \"" + slot + "\": " + e.getMessage());
        }
        SourceConnector.Login login = ctx.sources().login(contract.source());
        try (ReplicationSession session = ReplicationSession.open(login.driverUrl(), login.properties())) {
            ExportedSnapshot created = session.createSlot(slot);
            String start = created.consistentPoint().asString();
            XidSnapshot exported = exported(created, source);
            LOG.info("created replication slot {}: its stream starts at {}, after what snapshot {} sees", slot, start,
                    exported);
            return new SlotStart(start, exported);
        } catch (CaptureException e) {
            throw new EngineException(e.getMessage());
        }
    }

    /** The transactions the slot's exported snapshot sees, read by importing it into a transaction of {@code source}. */
    private static XidSnapshot exported(ExportedSnapshot created, Connection source) {
        created.importInto(source);
        try {
            return XidSnapshot.current(source);
        } catch (SQLException e) {
            throw new EngineException("cannot read the snapshot exported with the slot: " + e.getMessage());
        } finally {
            try {
                source.rollback();
                source.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.warn("could not end the transaction that read the slot's snapshot: {}", e.toString());
            }
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
    public static boolean isPosition(String encodedCursor) {
        Object[] tuple = CursorCodec.decode(encodedCursor);
        return tuple.length == 1 && tuple[0] instanceof String text && LSN_TEXT.matcher(text).matches();
    }

    /** A log position as a run, a chunk or a checkpoint records it ({@code ["0/16B3748"]} or {@code "0/16B3748"}). */
    public static LogSequenceNumber position(String encoded) {
        Object value = encoded.startsWith("[") ? CursorCodec.decode(encoded)[0] : CursorCodec.decodeValue(encoded);
        LogSequenceNumber lsn = LogSequenceNumber.valueOf(String.valueOf(value));
        if (lsn.equals(LogSequenceNumber.INVALID_LSN)) {
            throw new EngineException("not a log position in the state store: " + encoded);
        }
        return lsn;
    }
}
