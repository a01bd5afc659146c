package dev.exportdesk.cli;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.SchemaMismatchException;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.store.WorkspaceInUseException;
import dev.exportdesk.text.TerminalWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Builds and runs the command line; errors become one clear line on stderr and an exit code. */
public final class Cli {
    private Cli() {
    }

    public static int execute(String[] args, Map<String, String> env, Consumer<Path> console, PrintWriter rawOut,
                              PrintWriter rawErr) {
        PrintWriter out = new PrintWriter(new TerminalWriter(rawOut), true);
        PrintWriter err = new PrintWriter(new TerminalWriter(rawErr), true);
        if (ExportDeskCommand.hashesInBulk(ExportDeskCommand.subcommandNamed(args))) {
            Hashing.warmUpInBackground();
        }
        CommandLine cli = ExportDeskCommand.commandLine(new ExportDeskCommand(env, console), args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = exitCode(e);
            err.println("error: " + e.getMessage());
            if (code == ExitCodes.RUN_FAILED) {
                LoggerFactory.getLogger(Cli.class).error("command failed", e);
                err.println("(details in the workspace log: logs/exportdesk.log)");
            }
            err.flush();
            return code;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static int execute(String[] args, Consumer<Path> console) {
        return execute(args, System.getenv(), console, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
    }

    static int exitCode(Exception e) {
        if (e instanceof WorkspaceInUseException) {
            return ExitCodes.WORKSPACE_BUSY;
        }
        if (e instanceof ContractValidationException || e instanceof dev.exportdesk.secret.SecretException
                || e instanceof dev.exportdesk.alert.AlertException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof SchemaMismatchException) {
            return ExitCodes.SCHEMA_DRIFT;
        }
        if (e instanceof SourceException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof dev.exportdesk.engine.retention.DestinationUnreachableException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof EngineException || e instanceof java.nio.file.NoSuchFileException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof dev.exportdesk.store.StoreConfigException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof dev.exportdesk.store.StoreUnavailableException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof dev.exportdesk.store.StoreVersionException) {
            return ExitCodes.STORE_VERSION;
        }
        if (e instanceof dev.exportdesk.store.StoreIntegrityException) {
            return ExitCodes.STORE_LOST;
        }
        if (e instanceof StoreException) {
            return ExitCodes.RUN_FAILED;
        }
        return ExitCodes.RUN_FAILED;
    }
}
