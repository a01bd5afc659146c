package dev.exportdesk.testing;

import dev.exportdesk.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** The real command line, in process, on one workspace: exit code, stdout and stderr of each call. */
public final class CliRun {
    private final Path workspace;
    private final Map<String, String> env;

    public CliRun(Path workspace, Map<String, String> env) {
        this.workspace = workspace;
        this.env = Map.copyOf(env);
    }

    public CliRun(Path workspace) {
        this(workspace, Map.of());
    }

    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--workspace";
        full[1] = workspace.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = Cli.execute(full, env, ws -> {
            throw new UnsupportedOperationException("no graphical display (test)");
        }, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
