package dev.exportdesk.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real ExportDesk entry point in a separate JVM, so tests can SIGKILL it or race it. */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Process start(Path output, List<String> jvmArgs, String... args) throws IOException {
        return start(output, jvmArgs, java.util.Map.of(), args);
    }

    /** With {@code env} added to this process's environment (a team store's URL and credentials). */
    public static Process start(Path output, List<String> jvmArgs, java.util.Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.exportdesk.app.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** {@code java -jar JAR args…}: a packaged jar on its own, with none of the test classpath. */
    public static int runJar(Path jar, Path output, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return runJar(jar, List.of(), output, timeoutSeconds, args);
    }

    /** {@code java JVM-ARGS… -jar JAR args…}. */
    public static int runJar(Path jar, List<String> jvmArgs, Path output, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return waitFor(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start(),
                timeoutSeconds, args);
    }

    /** Runs to completion (bounded) and returns the exit code. */
    public static int run(Path output, List<String> jvmArgs, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return waitFor(start(output, jvmArgs, args), timeoutSeconds, args);
    }

    private static int waitFor(Process p, long timeoutSeconds, String... args) throws InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("child JVM did not finish within " + timeoutSeconds + " s: "
                    + List.of(args));
        }
        return p.exitValue();
    }
}
