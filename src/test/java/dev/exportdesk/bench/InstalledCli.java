package dev.exportdesk.bench;

import dev.exportdesk.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BENCH_LAUNCH=installed: the CLI as the package runs it, the packaged jar (its manifest's class
 * path in target/lib) with a class-data archive made by packaging/exportdesk-cds.sh, the same
 * training as at installation. Otherwise (the default) from this build's classes without an
 * archive, as the figures before 2026-12-05 (evening) were measured.
 */
final class InstalledCli {
    private static final Path JAR = Path.of("target", "exportdesk.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "bench-cds", "exportdesk.jsa").toAbsolutePath();

    private InstalledCli() {
    }

    static boolean wanted() {
        return "installed".equals(System.getenv("BENCH_LAUNCH"));
    }

    static void trainArchive() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: BENCH_LAUNCH=installed needs `mvn package`");
        }
        Files.createDirectories(ARCHIVE.getParent());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sh", "packaging/exportdesk-cds.sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), JAR.toString(), ARCHIVE.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || !Files.isRegularFile(ARCHIVE)) {
            throw new IllegalStateException("training the class-data archive failed: " + out);
        }
        System.out.printf(Locale.ROOT, "class-data archive trained as at installation (demo run): %.1f s, %.1f MB%n",
                (System.nanoTime() - t0) / 1e9, Files.size(ARCHIVE) / 1e6);
    }

    /** One CLI command in a child JVM with options {@code jvm}: the packaged jar when {@code installed}. */
    static int run(boolean installed, Path log, List<String> jvm, String... args) throws Exception {
        if (!installed) {
            return ChildJvm.run(log, jvm, 3600, args);
        }
        // -Xshare:auto (the default) would fall back silently; the benchmark must know it measured the archive
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xshare:on",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        options.addAll(jvm); // last, so that BENCH_B_JVM_OPTS can name another archive
        return ChildJvm.runJar(JAR, options, log, 3600, args);
    }
}
