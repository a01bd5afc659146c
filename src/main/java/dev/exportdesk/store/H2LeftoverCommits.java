package dev.exportdesk.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.index.Index;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.db.MVPrimaryIndex;
import org.h2.mvstore.db.MVSecondaryIndex;
import org.h2.mvstore.db.MVTable;
import org.h2.mvstore.db.Store;
import org.h2.schema.Schema;
import org.h2.table.Table;
import org.h2.value.VersionedValue;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the commits a killed process left half done in the H2 store.
 *
 * <p>H2 commits in two steps: it marks the transaction's undo log committed, then rewrites each
 * changed row as committed. When the process dies between the two, the next open registers the
 * transaction as a committed leftover and is meant to finish it; H2 2.5 does not
 * ({@code Transaction.commit()} only applies the undo log of a transaction that was still active,
 * and a leftover is already COMMITTED). Its rows then stay invisible to READ COMMITTED and locked by
 * a transaction that never ends: the next INSERT of such a row times out and the next UPDATE spins
 * for ever. That is how a run killed while planning a chunk or writing a heartbeat could never be
 * resumed.
 *
 * <p>The fix is the recovery H2 2.4 performed on open: apply the leftover's undo log as a commit.
 * It runs before anything else touches the store, so no live transaction can be affected. The
 * commit was decided by the killed process before it died; finishing it is what makes the store
 * agree with what that process already reported.
 *
 * <p>A second leftover of the same kind: a change of a transaction that was still open when the
 * process died, whose undo entry did not reach the file with it (H2 stores its maps one by one, so
 * a version can hold an index entry written after the undo log's root was taken). H2's rollback on
 * open cannot undo what its log does not list, so the entry stays, owned by a transaction that no
 * longer exists: the next INSERT of that key waits for it until the lock times out
 * ({@code LogicalCrashLoopTest}, strict variant: a chunk's primary-key entry left behind while the
 * row itself was rolled back). Once the committed leftovers are finished, no transaction is open, so
 * every such entry is an orphan: it is put back to its committed value, or removed when it had none
 * (an insert that never committed) — what the rollback would have done.
 */
final class H2LeftoverCommits {
    private static final Logger LOG = LoggerFactory.getLogger(H2LeftoverCommits.class);

    private H2LeftoverCommits() {
    }

    /**
     * Returns how many leftover commits were finished and orphaned changes put back (usually none);
     * the index scan for orphans only runs {@code afterUncleanStop} (see {@link StateStore}).
     */
    static int finish(DataSource dataSource, boolean afterUncleanStop) {
        try (Connection c = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            Store store = session.getDatabase().getStore();
            TransactionStore transactions = store.getTransactionStore();
            List<Transaction> leftovers = transactions.getOpenTransactions().stream()
                    .filter(t -> t.getStatus() == Transaction.STATUS_COMMITTED)
                    .toList();
            if (!leftovers.isEmpty()) {
                Method recover = recoveryCommit();
                for (Transaction t : leftovers) {
                    recover.invoke(transactions, t, true);
                }
                LOG.warn("state store: finished {} commit(s) that a process killed mid-commit had left half done",
                        leftovers.size());
            }
            // reading every index costs time on a large store: only after a process did not close it
            int orphans = afterUncleanStop && transactions.getOpenTransactions().isEmpty() ? revertOrphans(session) : 0;
            if (orphans > 0) {
                LOG.warn("state store: put back {} change(s) of transaction(s) a killed process left open that "
                        + "H2's rollback could not undo", orphans);
            }
            if (leftovers.isEmpty() && orphans == 0) {
                return 0;
            }
            store.getMvStore().commit();
            store.sync();
            return leftovers.size() + orphans;
        } catch (SQLException e) {
            throw new StoreException("cannot open state store: " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new StoreException("the state store holds a commit a killed process left half done, and "
                    + "finishing it failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new StoreException("the state store holds a commit a killed process left half done, and this "
                    + "H2 version offers no way to finish it (" + e + "); keep a copy of the store and report it", e);
        }
    }

    /**
     * Puts back, in every table index, entries still owned by a transaction (a non-zero operation
     * id) when none is open: the committed value, or nothing for an insert that never committed.
     * Written to the maps directly, as H2's own rollback writes them.
     */
    private static int revertOrphans(SessionLocal session) {
        int reverted = 0;
        for (Schema schema : session.getDatabase().getAllSchemas()) {
            for (Table table : schema.getAllTablesAndViews(session)) {
                if (!(table instanceof MVTable)) {
                    continue;
                }
                for (Index index : table.getIndexes()) {
                    MVMap<?, ?> map = index instanceof MVPrimaryIndex p ? p.getMVMap()
                            : index instanceof MVSecondaryIndex s ? s.getMVMap() : null;
                    if (map != null) {
                        reverted += revert(map);
                    }
                }
            }
        }
        return reverted;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int revert(MVMap<?, ?> raw) {
        MVMap map = raw;
        List<Object> orphaned = new java.util.ArrayList<>();
        for (Cursor<?, ?> c = raw.cursor(null); c.hasNext(); ) {
            Object key = c.next();
            if (c.getValue() instanceof VersionedValue<?> v && v.getOperationId() != 0) {
                orphaned.add(key);
            }
        }
        for (Object key : orphaned) {
            VersionedValue<?> v = (VersionedValue<?>) map.get(key);
            Object committed = v.getCommittedValue();
            if (committed == null) {
                map.remove(key);
            } else if (committed instanceof VersionedValue<?>) {
                map.put(key, committed); // a table's values (rows, index values) are their own committed form
            } else {
                throw new IllegalStateException("an index entry of an unexpected kind: " + committed.getClass());
            }
        }
        return orphaned.size();
    }

    /** {@code TransactionStore.commit(Transaction, boolean recovery)}: package-private in H2. */
    private static Method recoveryCommit() throws NoSuchMethodException {
        Method m = TransactionStore.class.getDeclaredMethod("commit", Transaction.class, boolean.class);
        m.setAccessible(true);
        return m;
    }
}
