package dev.exportdesk.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The authoritative status store: a pooled connection to H2 (embedded, one process) or, later,
 * PostgreSQL (shared by workers). Schema changes go through Flyway migrations in
 * {@code db/migration}; repositories take the connection of the transaction they run in.
 */
public final class StateStore implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final ContractRepository contracts = new ContractRepository();
    private final RunRepository runs = new RunRepository();
    private final ChunkRepository chunks = new ChunkRepository();
    private final CheckpointRepository checkpoints = new CheckpointRepository();
    private final CopySnapshotRepository copySnapshots = new CopySnapshotRepository();
    private final LookbackIndex lookbackIndex = new LookbackIndex();
    private final VerificationRepository verifications = new VerificationRepository();
    private final AckRepository acks = new AckRepository();
    private final TransferAttemptRepository transferAttempts = new TransferAttemptRepository();
    private final MultipartUploadRepository multipartUploads = new MultipartUploadRepository();
    private final AuditLog audit = new AuditLog();
    private final ReconciliationRepository reconciliations = new ReconciliationRepository();
    private final CorrectionRepository corrections = new CorrectionRepository();
    private final LedgerRepository ledger = new LedgerRepository();
    private final PruneRepository prunes = new PruneRepository();
    private final SourceRepository sources = new SourceRepository();
    private final DestinationRepository destinations = new DestinationRepository();
    private final StoreSizeSamples sizeSamples = new StoreSizeSamples();
    private final ScheduleStateRepository scheduleStates = new ScheduleStateRepository();
    private final NotificationRepository notifications = new NotificationRepository();
    private final WorkerRepository workers = new WorkerRepository();
    private final RunRequestRepository requests = new RunRequestRepository();
    private final WorkClaimRepository workClaims;
    private final LeaseRepository leases;
    private final SegmentRepository segments;
    /** Team mode: the claim every transaction through this view checks first (null: not fenced). */
    private final Fence fence;
    /** Run before each durable barrier: refuses to go on once the store's file is gone or replaced. */
    private volatile Runnable integrityCheck = () -> { };
    private final String url;
    /** Set once a team store's identity accepted this machine's key; null for a solo store. */
    private volatile TeamIdentity team;
    private volatile KeyMaterial teamKey;

    private StateStore(HikariDataSource dataSource, SqlDialect dialect, String url, Fence fence) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.url = url;
        this.leases = new LeaseRepository(dialect);
        this.segments = new SegmentRepository(dialect);
        this.workClaims = new WorkClaimRepository(dialect);
        this.fence = fence;
    }

    /**
     * A view of this store for work done under {@code claim} (a run's or key range's lease, or a
     * task's claim): every transaction through it first checks, in that same transaction, that the
     * claim is still the current one and throws {@link LeaseLostException} (committing nothing) when
     * it is not. The engine funnels every durable write through {@link #inTransaction}, so this one
     * check fences them all. Shares the pool.
     */
    public StateStore fenced(Fence claim) {
        StateStore view = new StateStore(dataSource, dialect, url, claim);
        view.integrityCheck = integrityCheck;
        view.team = team;
        view.teamKey = teamKey;
        return view;
    }

    /** The claim this view is fenced by, if any: a run's or key range's lease, or a task's claim. */
    public java.util.Optional<Fence> fence() {
        return java.util.Optional.ofNullable(fence);
    }

    /** The run's or key range's lease this view is fenced by, if any (empty for a task's claim). */
    public java.util.Optional<Lease> lease() {
        return fence instanceof Lease l ? java.util.Optional.of(l) : java.util.Optional.empty();
    }

    /** Opens any supported store by URL, migrating it: a solo workspace's H2 store, and the portability tests. */
    public static StateStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, SchemaPolicy.MIGRATE);
    }

    /**
     * Opens a store and brings its schema in line per {@code policy}. A store whose schema is newer
     * than this build is refused before anything is written (Flyway would otherwise ignore the
     * unknown migrations and carry on with SQL the newer schema may not support).
     */
    public static StateStore open(String jdbcUrl, String user, String password, SchemaPolicy policy) {
        SqlDialect dialect = SqlDialect.of(jdbcUrl);
        HikariDataSource ds = dataSource(jdbcUrl, user, password, dialect);
        try {
            if (dialect == SqlDialect.H2) {
                // before migrations, which could otherwise wait for ever on a row a killed commit left locked
                H2LeftoverCommits.finish(ds, OpenMark.wasLeftOpen(jdbcUrl));
                OpenMark.set(jdbcUrl);
            }
            StoreSchema.of(ds, jdbcUrl).bringUpToDate(policy);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new StateStore(ds, dialect, jdbcUrl, null);
    }

    private static HikariDataSource dataSource(String jdbcUrl, String user, String password, SqlDialect dialect) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setPoolName("exportdesk-state");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (dialect == SqlDialect.POSTGRESQL) {
            // an unreachable or silent server fails the open in bounded time; the URL's own options win
            config.setConnectionTimeout(15_000);
            config.addDataSourceProperty("connectTimeout", "10");
            config.addDataSourceProperty("loginTimeout", "10");
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (dialect == SqlDialect.POSTGRESQL) {
                throw new StoreUnavailableException("cannot reach the team store " + jdbcUrl + " as " + user + ": "
                        + rootMessage(e), e);
            }
            throw new StoreException("cannot open state store " + jdbcUrl + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public interface TxWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    public interface TxAction {
        void apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction; commits on success, rolls back on any exception. */
    public <T> T inTransaction(TxWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try {
                if (fence instanceof Lease l && l.onSegment()) {
                    segments.check(c, l);
                } else if (fence instanceof Lease l) {
                    leases.check(c, l);
                } else if (fence instanceof TaskClaim t) {
                    workClaims.check(c, t);
                }
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("state store: " + e.getMessage(), e);
        }
    }

    /** Like {@link #inTransaction(TxWork)} for work that returns nothing. */
    public void update(TxAction action) {
        inTransaction(c -> {
            action.apply(c);
            return null;
        });
    }

    /** Commits {@code work} and makes it survive power loss before returning. */
    public <T> T inDurableTransaction(TxWork<T> work) {
        T result = inTransaction(work);
        durableBarrier();
        return result;
    }

    /** Like {@link #inDurableTransaction(TxWork)} for work that returns nothing. */
    public void updateDurably(TxAction action) {
        inDurableTransaction(c -> {
            action.apply(c);
            return null;
        });
    }

    /**
     * Forces everything committed so far to stable storage. A durable fact written to a store that
     * was deleted or replaced would be lost at the next open, so the barrier refuses then.
     */
    public void durableBarrier() {
        integrityCheck.run();
        try (Connection c = dataSource.getConnection()) {
            dialect.durableBarrier(c);
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("state store: cannot force a durable checkpoint: " + e.getMessage(), e);
        }
    }

    /** Cheap liveness probe for status displays: also false once the store's file was deleted or replaced. */
    public boolean healthy() {
        try {
            integrityCheck.run();
        } catch (StoreIntegrityException e) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    void team(TeamIdentity identity, KeyMaterial key) {
        this.teamKey = key;
        this.team = identity;
    }

    /** Solo (a workspace's own H2 file) or team (a shared PostgreSQL store opened through its identity). */
    public StoreMode mode() {
        return team == null ? StoreMode.SOLO : StoreMode.TEAM;
    }

    /** The team store's identity; empty for a solo store. */
    public java.util.Optional<TeamIdentity> teamIdentity() {
        return java.util.Optional.ofNullable(team);
    }

    /**
     * A team store's one ledger signing key, unsealed with the checked master key; empty for a solo
     * store, whose key stays in {@code <workspace>/ledger}.
     */
    public java.util.Optional<TeamIdentity.LedgerKeyPair> ledgerSigningKey() {
        TeamIdentity identity = team;
        return identity == null ? java.util.Optional.empty() : java.util.Optional.of(identity.ledgerKey(teamKey));
    }

    /** The schema version against this build's migrations; reading it writes nothing. */
    public StoreSchema schema() {
        return StoreSchema.of(dataSource, url);
    }

    /** The store's JDBC URL (never holds a password: that goes to the driver apart). */
    public String url() {
        return url;
    }

    void integrityCheck(Runnable check) {
        this.integrityCheck = check;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public ContractRepository contracts() {
        return contracts;
    }

    public RunRepository runs() {
        return runs;
    }

    public ChunkRepository chunks() {
        return chunks;
    }

    public CheckpointRepository checkpoints() {
        return checkpoints;
    }

    public CopySnapshotRepository copySnapshots() {
        return copySnapshots;
    }

    public LookbackIndex lookbackIndex() {
        return lookbackIndex;
    }

    public VerificationRepository verifications() {
        return verifications;
    }

    public AckRepository acks() {
        return acks;
    }

    public TransferAttemptRepository transferAttempts() {
        return transferAttempts;
    }

    public MultipartUploadRepository multipartUploads() {
        return multipartUploads;
    }

    public ReconciliationRepository reconciliations() {
        return reconciliations;
    }

    public CorrectionRepository corrections() {
        return corrections;
    }

    public LedgerRepository ledger() {
        return ledger;
    }

    public SourceRepository sources() {
        return sources;
    }

    public DestinationRepository destinations() {
        return destinations;
    }

    public StoreSizeSamples sizeSamples() {
        return sizeSamples;
    }

    public ScheduleStateRepository scheduleStates() {
        return scheduleStates;
    }

    public NotificationRepository notifications() {
        return notifications;
    }

    public WorkerRepository workers() {
        return workers;
    }

    public RunRequestRepository requests() {
        return requests;
    }

    public WorkClaimRepository workClaims() {
        return workClaims;
    }

    public SegmentRepository segments() {
        return segments;
    }

    public LeaseRepository leases() {
        return leases;
    }

    public PruneRepository prunes() {
        return prunes;
    }

    public AuditLog audit() {
        return audit;
    }

    @Override
    public void close() {
        dataSource.close();
        if (dialect == SqlDialect.H2 && fence == null) {
            OpenMark.clear(url);
        }
    }
}
