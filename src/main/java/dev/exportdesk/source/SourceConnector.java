package dev.exportdesk.source;

import dev.exportdesk.contract.SourceRef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Opens read-only sessions on source databases. A contract only names its source; the connection
 * an administrator defined says how to reach it, its URL passes {@link JdbcUrlPolicy} before any
 * driver sees it, and credentials come from environment variables at the last moment, so they
 * never pass through contracts, logs or the state store. A session that could write, or read the
 * host's files (an H2 administrator, a PostgreSQL superuser or member of the server-file roles), is
 * refused: a steward's {@code query} runs in it.
 */
public final class SourceConnector {
    private final Map<String, String> env;
    private final JdbcUrlPolicy policy;
    private final Function<String, Optional<SourceConnection>> connections;
    private final EnvCheck envCheck;

    /** Whether an environment variable may be read for a source (an administrator's allow-list). */
    @FunctionalInterface
    public interface EnvCheck {
        EnvCheck ANY = (source, variable) -> { };

        void check(String source, String variable);
    }

    public SourceConnector(Map<String, String> env, JdbcUrlPolicy policy,
                           Function<String, Optional<SourceConnection>> connections, EnvCheck envCheck) {
        this.env = Map.copyOf(env);
        this.policy = policy;
        this.connections = connections;
        this.envCheck = envCheck;
    }

    public JdbcUrlPolicy policy() {
        return policy;
    }

    /** Opens the connection the contract names. */
    public Connection open(SourceRef ref) {
        return open(find(ref));
    }

    /**
     * Where and as whom a connection to a source goes: the driver URL once it passed the policy, and
     * the credentials. For connections this class does not open itself (log-based capture's
     * replication session); never logged, the properties hold the password.
     */
    public record Login(String name, String driverUrl, Properties properties) {
        @Override
        public String toString() {
            return "Login[" + name + "]";
        }
    }

    /** The login the contract's source connection uses. */
    public Login login(SourceRef ref) {
        return login(find(ref));
    }

    private Login login(SourceConnection source) {
        policy.check(source.name(), source.jdbcUrl());
        Properties props = new Properties();
        String user = source.user() != null ? source.user()
                : source.userEnv() != null ? requireEnv(source, source.userEnv()) : null;
        if (user != null) {
            props.setProperty("user", user);
        }
        if (source.passwordEnv() != null) {
            props.setProperty("password", requireEnv(source, source.passwordEnv()));
        }
        return new Login(source.name(), JdbcUrlPolicy.forDriver(source.jdbcUrl()), props);
    }

    private SourceConnection find(SourceRef ref) {
        return connections.apply(ref.name()).orElseThrow(() -> new SourceException(
                "no source connection named \"" + ref.name() + "\"; an administrator adds it with "
                        + "`exportdesk source add " + ref.name() + " --jdbc-url ...`"));
    }

    /** Opens {@code source} (also one not stored yet, for an administrator's test before saving it). */
    public Connection open(SourceConnection source) {
        Login login = login(source);
        Connection c;
        try {
            DriverManager.setLoginTimeout(30);
            c = DriverManager.getConnection(login.driverUrl(), login.properties());
        } catch (SQLException e) {
            throw new SourceException("cannot connect to source \"" + source.name() + "\" (" + redact(source.jdbcUrl())
                    + "): " + e.getMessage(), e);
        }
        try {
            restrict(c, source.name());
            return c;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SourceException se) {
                throw se;
            }
            throw new SourceException("source \"" + source.name() + "\": cannot make the session read-only: "
                    + e.getMessage(), e);
        }
    }

    private static void restrict(Connection c, String name) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        if ("H2".equals(product)) {
            if (h2Admin(c)) {
                throw new SourceException("source \"" + name + "\" connects to H2 as an administrator, whose "
                        + "queries can read and write the host's files; connect as a user with SELECT rights only "
                        + "(CREATE USER reader PASSWORD '...'; GRANT SELECT ON SCHEMA PUBLIC TO reader)");
            }
            try (Statement st = c.createStatement()) {
                // otherwise H2 builds a scan's whole result, spilling to temporary files, before its
                // first row (issue 14: that was most of an H2 export's time, and disk the size of the table)
                st.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
        } else if ("PostgreSQL".equals(product)) {
            String why = postgresPrivilege(c);
            if (why != null) {
                throw new SourceException("source \"" + name + "\" connects to PostgreSQL as " + why + ", which can "
                        + "read the server's files or run programs; connect as a role with SELECT rights only "
                        + "(e.g. GRANT pg_read_all_data TO reader)");
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
                // other runs' bounds skip this read-only session's transactions (SourceClock)
                st.execute("SET application_name = '" + SourceClock.APPLICATION_NAME + "'");
            }
        }
        c.setReadOnly(true);
    }

    private static boolean h2Admin(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER");
             ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String postgresPrivilege(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT r.rolsuper, "
                + "pg_has_role(current_user, 'pg_read_server_files', 'MEMBER'), "
                + "pg_has_role(current_user, 'pg_write_server_files', 'MEMBER'), "
                + "pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') "
                + "FROM pg_roles r WHERE r.rolname = current_user");
             ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return "an unknown role";
            }
            if (rs.getBoolean(1)) {
                return "a superuser";
            }
            String[] roles = {"pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"};
            for (int i = 0; i < roles.length; i++) {
                if (rs.getBoolean(i + 2)) {
                    return "a member of " + roles[i];
                }
            }
            return null;
        }
    }

    private String requireEnv(SourceConnection source, String variable) {
        if (variable.startsWith("EXPORTDESK_")) {
            // the master secret and key file live there: they never leave the process
            throw new SourceException("source \"" + source.name() + "\" names " + variable + "; EXPORTDESK_* variables "
                    + "configure ExportDesk itself and are never sent to a source");
        }
        try {
            envCheck.check("source:" + source.name(), variable);
        } catch (RuntimeException e) {
            // a refusal fails the run like any other reason the source cannot be read
            throw new SourceException("source \"" + source.name() + "\": " + e.getMessage(), e);
        }
        String value = env.get(variable);
        if (value == null) {
            throw new SourceException("source \"" + source.name() + "\" needs environment variable " + variable
                    + ", which is not set");
        }
        return value;
    }

    /** URLs are validated to carry no password, but strip query parameters anyway before showing them. */
    static String redact(String url) {
        int q = url.indexOf('?');
        int semi = url.indexOf(';');
        int cut = q < 0 ? semi : semi < 0 ? q : Math.min(q, semi);
        return cut < 0 ? url : url.substring(0, cut) + "…";
    }
}
