package dev.exportdesk.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb in a temp directory, started on a free
 * loopback port (as the {@code postgres} user when the tests run as root), stopped and deleted
 * when the test JVM exits. One cluster per JVM; each test takes its own database.
 */
public final class PostgresCluster {
    private static PostgresCluster shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start("");
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-cluster-stop"));
        }
        return shared;
    }

    private static PostgresCluster logical;

    /** What log-based capture (issue 15) needs; the shared cluster keeps wal_level=replica, a bad setup. */
    public static final String LOGICAL_SETTINGS = " -c wal_level=logical -c max_replication_slots=40"
            + " -c max_wal_senders=40 -c wal_sender_timeout=20s"
            // as most sources run: a commit is in the flushed log when it returns, where a stream run's bound is
            + " -c synchronous_commit=on";

    /** A second cluster, with wal_level=logical, shared by the change-capture tests of this JVM. */
    public static synchronized PostgresCluster logical() {
        if (logical == null) {
            logical = startOwn(LOGICAL_SETTINGS);
        }
        return logical;
    }

    /**
     * A cluster of the caller's own with extra server settings ({@code -c name=value …}), for a test
     * that changes the whole cluster (e.g. one that makes slots lost); stopped when the JVM exits.
     */
    public static PostgresCluster startOwn(String settings) {
        PostgresCluster cluster = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "postgres-cluster-stop"));
        return cluster;
    }

    /** A role that reads every table and nothing more: sources connect as it, as the engine requires. */
    public static final String READER = "exportdesk_reader";

    private static PostgresCluster start(String settings) {
        Path bin = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 not found at " + bin + " (install postgresql-15 or set "
                    + "PG_BIN); .ci/run installs it");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("exportdesk-pg");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            PostgresCluster cluster = new PostgresCluster(dir, bin, port, root);
            if (root) {
                exec(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            }
            cluster.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U",
                    "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            cluster.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                            + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100" + settings
                            + System.getenv().getOrDefault("BENCH_PG_SETTINGS", ""), "start"));
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + READER + " LOGIN");
                st.execute("GRANT pg_read_all_data TO " + READER);
                // lets runs see other sessions' open transactions and bound below them (SourceClock)
                st.execute("GRANT pg_read_all_stats TO " + READER);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the reader role: " + e.getMessage(), e);
            }
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        exec(full, true);
    }

    private static void exec(List<String> command, boolean check) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A fresh, empty database for one test. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public Path binDirectory() {
        return bin;
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (RuntimeException ignored) {
            // the JVM is exiting; the data directory is removed below either way
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp directory; nothing else to do
        }
    }
}
