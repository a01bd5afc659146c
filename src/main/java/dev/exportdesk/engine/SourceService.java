package dev.exportdesk.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.secret.EnvAllowList;
import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.source.SourceCatalog;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.store.SourceRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Source connections, an administrator's business: contracts name them, so a steward says what to
 * export but never where the engine connects, as whom, or with which driver options. Every change
 * is checked against {@link JdbcUrlPolicy} and audited with the definition before and after (never
 * a credential: there is none in a definition).
 */
public final class SourceService {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final EngineContext ctx;
    private final EnvAllowList allowList;

    public SourceService(EngineContext ctx) {
        this.ctx = ctx;
        this.allowList = new EnvAllowList(ctx.store(), ctx.clock());
    }

    public List<SourceConnection> list() {
        return ctx.store().inTransaction(c -> ctx.store().sources().list(c)).stream().map(SourceService::connection)
                .toList();
    }

    public Optional<SourceConnection> find(String name) {
        return ctx.store().inTransaction(c -> ctx.store().sources().find(c, name)).map(SourceService::connection);
    }

    /** A connection with the contracts whose current version names it. */
    public record Usage(SourceConnection source, List<String> contracts) {
        public Usage {
            contracts = List.copyOf(contracts);
        }
    }

    /** Every connection with the contracts naming it, read in one transaction so the two agree. */
    public List<Usage> usage() {
        return ctx.store().inTransaction(c -> {
            List<Usage> out = new ArrayList<>();
            for (SourceRecord r : ctx.store().sources().list(c)) {
                out.add(new Usage(connection(r), ctx.store().sources().usedBy(c, r.name())));
            }
            return out;
        });
    }

    static SourceConnection connection(SourceRecord r) {
        return new SourceConnection(r.name(), r.jdbcUrl(), r.user(), r.userEnv(), r.passwordEnv());
    }

    private static SourceRecord record(SourceConnection s) {
        return new SourceRecord(s.name(), s.jdbcUrl(), s.user(), s.userEnv(), s.passwordEnv());
    }

    /** Every reason {@code s} cannot be saved (empty when it can). */
    public List<String> problems(SourceConnection s) {
        List<String> problems = new ArrayList<>();
        if (s.name() == null || !NAME.matcher(s.name()).matches()) {
            problems.add("name: use 1-64 lowercase letters, digits, '-' or '_'");
        }
        for (String p : ctx.sources().policy().problems(s.jdbcUrl())) {
            problems.add("jdbc_url: " + p);
        }
        if (s.jdbcUrl() != null && s.jdbcUrl().toLowerCase(java.util.Locale.ROOT).contains("password")) {
            problems.add("jdbc_url: must not contain a password; name an environment variable with password_env");
        }
        if (s.user() != null && s.userEnv() != null) {
            problems.add("user_env: give either user or user_env, not both");
        }
        if (s.user() != null && (s.user().isBlank() || s.user().length() > 128
                || s.user().chars().anyMatch(Character::isISOControl))) {
            problems.add("user: must be 1-128 printable characters");
        }
        for (String[] env : new String[][] {{"user_env", s.userEnv()}, {"password_env", s.passwordEnv()}}) {
            if (env[1] != null && !ENV_NAME.matcher(env[1]).matches()) {
                problems.add(env[0] + ": must be an environment variable name (A-Z, 0-9, _)");
            } else if (env[1] != null && env[1].startsWith("EXPORTDESK_")) {
                problems.add(env[0] + ": EXPORTDESK_* variables configure ExportDesk itself and are never sent "
                        + "to a source");
            }
        }
        return problems;
    }

    /** Adds a connection; refuses an existing name. */
    public void add(SourceConnection s) {
        requireValid(s);
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            if (ctx.store().sources().find(c, s.name()).isPresent()) {
                throw new EngineException("source \"" + s.name() + "\" exists already; change it with "
                        + "`exportdesk source set " + s.name() + "`");
            }
            insert(c, s, now);
        });
    }

    /** Inserts {@code s} in the caller's transaction (a contract import creating its inline source). */
    void insert(Connection c, SourceConnection s, Instant now) throws SQLException {
        ctx.store().sources().insert(c, record(s), ctx.actor(), now);
        ctx.store().audit().append(c, now, ctx.actor(), "source.create", "source " + s.name(), null, json(s));
        allowVariables(c, s, now);
    }

    /** Naming a variable on a connection is the administrator's allowance to send it to that source. */
    private void allowVariables(Connection c, SourceConnection s, Instant now) throws SQLException {
        for (String variable : new String[] {s.userEnv(), s.passwordEnv()}) {
            if (variable != null) {
                allowList.allow(c, variable, SecretScope.source(s.name()), ctx.actor(), now);
            }
        }
    }

    /** Replaces an existing connection's definition; the contracts naming it read through it from their next run. */
    public void change(SourceConnection s) {
        requireValid(s);
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            SourceConnection before = ctx.store().sources().find(c, s.name()).map(SourceService::connection)
                    .orElseThrow(() -> unknown(s.name()));
            ctx.store().sources().update(c, record(s), ctx.actor(), now);
            allowVariables(c, s, now);
            ctx.store().audit().append(c, now, ctx.actor(), "source.change", "source " + s.name(), json(before),
                    json(s));
        });
    }

    /** Removes a connection no contract names. */
    public void remove(String name) {
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            SourceConnection before = ctx.store().sources().find(c, name).map(SourceService::connection)
                    .orElseThrow(() -> unknown(name));
            List<String> users = ctx.store().sources().usedBy(c, name);
            if (!users.isEmpty()) {
                throw new EngineException("source \"" + name + "\" is named by contract(s) " + String.join(", ", users)
                        + "; point them at another source first");
            }
            ctx.store().sources().delete(c, name);
            ctx.store().audit().append(c, now, ctx.actor(), "source.remove", "source " + name, json(before), null);
        });
    }

    /** Opens a read-only session on {@code s} (stored or not yet) and names the database; audited. */
    public String test(SourceConnection s) {
        requireValid(s);
        String product;
        try (Connection conn = ctx.sources().open(s)) {
            product = conn.getMetaData().getDatabaseProductName() + " " + conn.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new SourceException("source \"" + s.name() + "\": " + e.getMessage(), e);
        } finally {
            Instant now = ctx.now();
            ctx.store().update(c -> ctx.store().audit().append(c, now, ctx.actor(), "source.test", "source " + s.name(),
                    null, null));
        }
        return product;
    }

    /** The tables and views of the named connection (metadata only); for setting up a contract. */
    public List<String> tables(String sourceName) {
        SourceConnection s = find(sourceName).orElseThrow(() -> unknown(sourceName));
        try (Connection conn = ctx.sources().open(s)) {
            return SourceCatalog.tables(conn);
        } catch (SQLException e) {
            throw new SourceException("source \"" + s.name() + "\": " + e.getMessage(), e);
        }
    }

    /** A table's columns and primary key on the named connection (metadata only). */
    public SourceCatalog.TableShape describe(String sourceName, String table) {
        SourceConnection s = find(sourceName).orElseThrow(() -> unknown(sourceName));
        try (Connection conn = ctx.sources().open(s)) {
            return SourceCatalog.describe(conn, table);
        } catch (SQLException e) {
            throw new SourceException("source \"" + s.name() + "\": " + e.getMessage(), e);
        }
    }

    private void requireValid(SourceConnection s) {
        List<String> problems = problems(s);
        if (!problems.isEmpty()) {
            throw new SourceDefinitionException(s.name(), problems);
        }
    }

    static EngineException unknown(String name) {
        return new EngineException("no source connection named \"" + name + "\" (see `exportdesk source list`)");
    }

    static String json(SourceConnection s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", s.name());
        n.put("jdbc_url", s.jdbcUrl());
        n.put("user", s.user());
        n.put("user_env", s.userEnv());
        n.put("password_env", s.passwordEnv());
        return n.toString();
    }

    /** A definition that cannot be saved, with every problem. */
    public static final class SourceDefinitionException extends EngineException {
        private final List<String> problems;

        SourceDefinitionException(String name, List<String> problems) {
            super("source \"" + name + "\" is not valid:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
