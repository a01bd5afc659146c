package dev.exportdesk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a benchmark step's CPU went (BENCH_CPU=1): every 50 ms, the user + system time of each
 * thread of the processes the step runs — ExportDesk's JVM by thread, PostgreSQL's processes, the
 * baseline's tools — read from {@code /proc/<pid>/task/<tid>/stat} (Linux). A thread's last reading
 * is its total, so a thread that lived less than 50 ms is missed: the figures are a floor. The
 * benchmark's own JVM is left out. On two shared cores wall-clock ratios alone hide which stage is
 * the limit; these figures, summed over the repeats of each step, show it (BENCHMARKS.md).
 */
final class CpuSampler {
    private static final Path PROC = Path.of("/proc");
    private static final long SELF = ProcessHandle.current().pid();
    private static final String OWN_COMMAND = ownCommand();
    private static final double TICKS = 100.0; // USER_HZ: 100 on every Linux this runs on
    private static final String[] TOOLS = {"psql", "zstd", "gzip", "sha256sum"};
    private static final String UNTOLD = "not told apart (ended before its first look)";

    /** Step → group → CPU seconds, summed over the step's repeats. */
    private final Map<String, Map<String, Double>> totals = new LinkedHashMap<>();
    private final Map<String, Integer> repeats = new HashMap<>();
    private final boolean enabled = "1".equals(System.getenv("BENCH_CPU")) && Files.isDirectory(PROC);

    private static String ownCommand() {
        try {
            return new String(Files.readAllBytes(PROC.resolve("self").resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Samples until the returned handle is closed, and adds what it saw to {@code step}'s totals. */
    Watch watch(String step) {
        return new Watch(step);
    }

    final class Watch implements AutoCloseable {
        private final String step;
        private final Map<String, double[]> last = new HashMap<>(); // "pid/tid" → {its CPU seconds so far}
        private final Map<String, String> groupOf = new HashMap<>();
        private final Map<Long, String> processKind = new HashMap<>();
        private final Thread sampler;
        private volatile boolean stop;

        private Watch(String step) {
            this.step = step;
            this.sampler = new Thread(this::loop, "bench-cpu-sampler");
            this.sampler.setDaemon(true);
            if (enabled) {
                sampler.start();
            }
        }

        private void loop() {
            while (!stop) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
                for (Path p : pids) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == SELF) {
                        continue;
                    }
                    String kind = processKind.get(pid);
                    if (kind == null) {
                        kind = kind(p);
                        if (kind != null) {
                            processKind.put(pid, kind);
                        }
                    }
                    if (kind != null && !kind.isEmpty()) {
                        threads(p, kind);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a process that ended between the listing and the read: the next pass goes on
            }
        }

        /**
         * "jvm", "pg", a tool's name, or "" for a process this step does not measure; null while it
         * may still become one (a child between fork and exec shows its parent's command line, or
         * the JDK's jspawnhelper's), to be looked at again in the next pass.
         */
        private String kind(Path proc) {
            String cmd;
            try {
                cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException e) {
                return "";
            }
            if (cmd.isEmpty() || cmd.equals(OWN_COMMAND) || cmd.contains("jspawnhelper")) {
                return null;
            }
            if (cmd.contains("dev.exportdesk.app.Main") || cmd.contains("exportdesk.jar")
                    || cmd.contains("H2SourceBenchmark$BareLoop")) {
                return "jvm";
            }
            if (cmd.startsWith("postgres: ")) {
                return "pg";
            }
            String first = cmd.split(" ", 2)[0];
            String name = first.substring(first.lastIndexOf('/') + 1);
            for (String tool : TOOLS) {
                if (tool.equals(name)) {
                    return tool;
                }
            }
            return "";
        }

        private void threads(Path proc, String kind) throws IOException {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path t : tasks) {
                    String stat;
                    try {
                        stat = Files.readString(t.resolve("stat"));
                    } catch (IOException e) {
                        continue;
                    }
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
                    String key = proc.getFileName() + "/" + t.getFileName();
                    // a JVM names its threads just after starting them: the name of the last pass counts;
                    // a PostgreSQL process keeps the group its command line first gave
                    String group = kind.equals("pg") && groupOf.containsKey(key) ? null : group(kind, name, proc);
                    if (group != null) {
                        groupOf.put(key, group);
                    }
                    last.computeIfAbsent(key, k -> new double[1])[0] = seconds;
                }
            }
        }

        @Override
        public void close() {
            if (!enabled) {
                return;
            }
            stop = true;
            sampler.interrupt();
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample(); // the threads' last figures
            Map<String, Double> sums = totals.computeIfAbsent(step, s -> new TreeMap<>());
            last.forEach((key, v) -> sums.merge(groupOf.getOrDefault(key, UNTOLD), v[0], Double::sum));
            repeats.merge(step, 1, Integer::sum);
        }
    }

    /**
     * A thread's group: our JVM's threads by job; PostgreSQL's client backends apart from its other
     * processes; null when it cannot be told (an exiting process's command line reads empty).
     */
    private static String group(String kind, String thread, Path proc) {
        switch (kind) {
            case "jvm":
                if (thread.startsWith("C2 Compiler")) {
                    return "JVM: C2";
                } else if (thread.startsWith("C1 Compiler")) {
                    return "JVM: C1";
                } else if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
                    return "JVM: GC and VM";
                } else if (thread.equals("java")) {
                    return "JVM: main thread (the run, or the bare loop)";
                } else if (thread.startsWith("exportdesk-sour")) {
                    return "JVM: source reader";
                } else if (thread.startsWith("exportdesk-gzip") || thread.startsWith("exportdesk-zst")) {
                    return "JVM: compression pool";
                }
                return "JVM: other threads";
            case "pg":
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return null;
                }
                if (!cmd.startsWith("postgres: ")) {
                    return null;
                }
                // "postgres: USER DB HOST(PORT) STATE" or "… [local] STATE" for a client backend;
                // "postgres: walwriter", "postgres: autovacuum worker" and the like otherwise
                return cmd.contains("(") || cmd.contains("[local]") ? "PostgreSQL: client backends"
                        : "PostgreSQL: other processes";
            default:
                return "tool: " + kind;
        }
    }

    /** The table of every step watched, in CPU seconds per repeat. */
    void print() {
        if (!enabled || totals.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("CPU seconds per repeat, by step (BENCH_CPU=1; /proc every 50 ms, a floor):");
        totals.forEach((step, sums) -> {
            int n = repeats.get(step);
            double all = sums.values().stream().mapToDouble(Double::doubleValue).sum() / n;
            System.out.printf(Locale.ROOT, "  %s: %.2f s in all%n", step, all);
            sums.forEach((group, seconds) -> {
                if (seconds / n >= 0.01) {
                    System.out.printf(Locale.ROOT, "    %-46s %7.2f%n", group, seconds / n);
                }
            });
        });
    }
}
