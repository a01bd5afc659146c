package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The few places where the state store needs to know which database it runs on. Everything else
 * is portable SQL shared by H2 and PostgreSQL.
 */
public enum SqlDialect {
    /**
     * Embedded H2 does not fsync on commit, so anything the outside world will act on is preceded
     * by an explicit {@code CHECKPOINT SYNC}.
     */
    H2 {
        @Override
        void durableBarrier(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
        }
    },
    /** PostgreSQL makes a commit durable before acknowledging it (synchronous_commit = on). */
    POSTGRESQL {
        @Override
        void durableBarrier(Connection connection) {
            // commit already waited for the WAL flush
        }
    };

    abstract void durableBarrier(Connection connection) throws SQLException;

    static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new StoreException("unsupported state store URL (H2 or PostgreSQL expected): " + jdbcUrl);
    }
}
