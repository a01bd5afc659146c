package dev.exportdesk.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.db.Store;
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
 */
final class H2LeftoverCommits {
    private static final Logger LOG = LoggerFactory.getLogger(H2LeftoverCommits.class);

    private H2LeftoverCommits() {
    }

    /** Returns how many leftover commits were finished (usually none). */
    static int finish(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            Store store = session.getDatabase().getStore();
            TransactionStore transactions = store.getTransactionStore();
            List<Transaction> leftovers = transactions.getOpenTransactions().stream()
                    .filter(t -> t.getStatus() == Transaction.STATUS_COMMITTED)
                    .toList();
            if (leftovers.isEmpty()) {
                return 0;
            }
            Method recover = recoveryCommit();
            for (Transaction t : leftovers) {
                recover.invoke(transactions, t, true);
            }
            store.getMvStore().commit();
            store.sync();
            LOG.warn("state store: finished {} commit(s) that a process killed mid-commit had left half done",
                    leftovers.size());
            return leftovers.size();
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

    /** {@code TransactionStore.commit(Transaction, boolean recovery)}: package-private in H2. */
    private static Method recoveryCommit() throws NoSuchMethodException {
        Method m = TransactionStore.class.getDeclaredMethod("commit", Transaction.class, boolean.class);
        m.setAccessible(true);
        return m;
    }
}
