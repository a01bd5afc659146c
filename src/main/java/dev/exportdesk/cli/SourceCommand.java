package dev.exportdesk.cli;

import dev.exportdesk.engine.SourceService;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceCatalog;
import dev.exportdesk.source.SourceConnection;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code source add|set|list|test|remove}: the connections contracts name. Only the workspace's
 * owner (this command line) and console administrators define them.
 */
@Command(name = "source", description = "Manage the source connections contracts name (administrators only).",
        subcommands = {SourceCommand.Add.class, SourceCommand.Change.class, SourceCommand.ListSources.class,
                SourceCommand.Test.class, SourceCommand.Remove.class, SourceCommand.Tables.class,
                SourceCommand.Columns.class})
final class SourceCommand {

    /** The definition options shared by add and set. */
    static final class Definition {
        @Parameters(index = "0", paramLabel = "NAME", description = "The name contracts use (\"source\": \"NAME\").")
        String name;

        @Option(names = "--jdbc-url", required = true, paramLabel = "URL", description = "jdbc:postgresql://host[:port]"
                + "/database or jdbc:h2:file:/path (allowed drivers and options: docs/security.md).")
        String jdbcUrl;

        @Option(names = "--user", paramLabel = "USER", description = "The database user (read-only rights suffice).")
        String user;

        @Option(names = "--user-env", paramLabel = "VAR", description = "Read the user from this environment variable.")
        String userEnv;

        @Option(names = "--password-env", paramLabel = "VAR",
                description = "Read the password from this environment variable at each connection.")
        String passwordEnv;

        SourceConnection connection() {
            return new SourceConnection(name, jdbcUrl, user, userEnv, passwordEnv);
        }
    }

    /** Add and set differ only in whether the name must be new. */
    abstract static class Save implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        Definition definition;

        abstract String apply(SourceService sources, SourceConnection connection);

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                String done = apply(new SourceService(ctx.engineContext()), definition.connection());
                spec.commandLine().getOut().println(done + " source \"" + definition.name + "\"");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "add", description = "Define a new source connection (checked against the URL policy, audited).")
    static final class Add extends Save {
        @Override
        String apply(SourceService sources, SourceConnection connection) {
            sources.add(connection);
            return "added";
        }
    }

    @Command(name = "set", description = "Change a source connection; contracts naming it use it from their next run.")
    static final class Change extends Save {
        @Override
        String apply(SourceService sources, SourceConnection connection) {
            sources.change(connection);
            return "changed";
        }
    }

    @Command(name = "list", description = "Source connections (credentials appear only as variable names).")
    static final class ListSources implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                List<SourceService.Usage> all = new SourceService(ctx.engineContext()).usage();
                PrintWriter out = spec.commandLine().getOut();
                if (all.isEmpty()) {
                    out.println("no source connections (add one with `exportdesk source add NAME --jdbc-url URL`)");
                }
                for (SourceService.Usage u : all) {
                    SourceConnection s = u.source();
                    out.println(s.name() + "  " + s.jdbcUrl()
                            + (s.user() != null ? "  user " + s.user() : "")
                            + (s.userEnv() != null ? "  user from $" + s.userEnv() : "")
                            + (s.passwordEnv() != null ? "  password from $" + s.passwordEnv() : "")
                            + "  named by " + (u.contracts().isEmpty() ? "no contract" : String.join(", ", u.contracts())));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "test", description = "Open a read-only session on a source connection and name the database.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                SourceService sources = new SourceService(ctx.engineContext());
                SourceConnection s = sources.find(name).orElseThrow(() -> new dev.exportdesk.engine.EngineException(
                        "no source connection named \"" + name + "\" (see `exportdesk source list`)"));
                spec.commandLine().getOut().println("source \"" + name + "\": " + sources.test(s) + ", read-only");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "remove", description = "Remove a source connection that no contract names.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                new SourceService(ctx.engineContext()).remove(name);
                spec.commandLine().getOut().println("removed source \"" + name + "\"");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "tables", description = "The tables and views of a source connection (metadata only).")
    static final class Tables implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                new SourceService(ctx.engineContext()).tables(name).forEach(spec.commandLine().getOut()::println);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "columns", description = "A table's columns: type, NULL or NOT NULL, primary key, and whether "
            + "each may be a key or a cursor (metadata only).")
    static final class Columns implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "TABLE")
        String table;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                SourceCatalog.TableShape shape = new SourceService(ctx.engineContext()).describe(name, table);
                var out = spec.commandLine().getOut();
                out.printf("%-32s %-20s %-9s %-4s %s%n", "column", "type", "null", "pk", "key / cursor");
                for (ColumnInfo c : shape.columns()) {
                    String problem = SourceCatalog.TableShape.orderProblem(c);
                    out.printf("%-32s %-20s %-9s %-4s %s%n", c.name(), c.typeName(), c.nullable() ? "NULL" : "NOT NULL",
                            shape.primaryKey().contains(c.name()) ? "yes" : "",
                            problem != null ? "no: " + problem
                                    : SourceCatalog.TableShape.cursorCandidate(c) ? "key or cursor" : "key");
                }
                return ExitCodes.OK;
            }
        }
    }
}
