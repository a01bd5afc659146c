package dev.exportdesk.security;

import dev.exportdesk.cli.Cli;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The CLI as a user runs it against one workspace, keeping every byte it printed. */
final class CliHarness {
    final Path workspace;
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    String lastOut = "";
    String lastErr = "";

    CliHarness(Path workspace) {
        this.workspace = workspace;
    }

    int run(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(all.toArray(String[]::new), env, p -> { }, new PrintWriter(out), new PrintWriter(err));
        lastOut = out.toString();
        lastErr = err.toString();
        stdout.append(lastOut);
        stderr.append(lastErr);
        return code;
    }

    String printed() {
        return stdout + "\n" + stderr;
    }

    List<AuditEntry> audit() {
        try (Workspace ws = Workspace.open(workspace)) {
            return ws.store().inTransaction(c -> ws.store().audit().recent(c, 100_000));
        }
    }

    /** Files under {@code root} holding {@code needle} byte for byte. */
    static List<Path> filesContaining(Path root, String needle) throws Exception {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        if (!Files.exists(root)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (contains(Files.readAllBytes(f), n)) {
                    hits.add(f);
                }
            }
        }
        return hits;
    }

    static boolean contains(byte[] data, byte[] n) {
        outer:
        for (int i = 0; i + n.length <= data.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (data[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
