package dev.exportdesk.source;

import dev.exportdesk.contract.SourceRef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens connections to source databases, resolving credentials from environment variables at the
 * last moment so they never pass through contracts, logs or the state store.
 */
public final class SourceConnector {
    private final Map<String, String> env;

    public SourceConnector(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public Connection open(SourceRef ref) {
        Properties props = new Properties();
        String user = ref.user() != null ? ref.user() : ref.userEnv() != null ? requireEnv(ref, ref.userEnv()) : null;
        if (user != null) {
            props.setProperty("user", user);
        }
        if (ref.passwordEnv() != null) {
            props.setProperty("password", requireEnv(ref, ref.passwordEnv()));
        }
        try {
            DriverManager.setLoginTimeout(30);
            return DriverManager.getConnection(ref.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new SourceException("cannot connect to source \"" + ref.name() + "\" (" + redact(ref.jdbcUrl())
                    + "): " + e.getMessage(), e);
        }
    }

    private String requireEnv(SourceRef ref, String variable) {
        String value = env.get(variable);
        if (value == null) {
            throw new SourceException("source \"" + ref.name() + "\" needs environment variable " + variable
                    + ", which is not set");
        }
        return value;
    }

    /** URLs are validated to carry no password, but strip query parameters anyway before showing them. */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }
}
