package dev.exportdesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Debian OpenSSH {@code sshd} on a loopback port, for interoperability tests: its own
 * sshd_config, host keys and authorized_keys in a temp directory, logging to stderr ({@code -D -e}).
 * The SFTP user is whoever runs the tests (root in CI, so root may log in with a key). A missing
 * {@code /usr/sbin/sshd} fails the test: CI must install {@code openssh-server}.
 */
public final class OpenSshServer implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final Path SFTP_SERVER = Path.of("/usr/lib/openssh/sftp-server");
    private static final long START_TIMEOUT_MS = 15_000;

    private final Path dir;
    private final Process process;
    private final int port;
    private final List<Path> hostKeys;
    private final StringBuffer log = new StringBuffer();

    private OpenSshServer(Path dir, Process process, int port, List<Path> hostKeys) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.hostKeys = hostKeys;
    }

    /**
     * Starts sshd with one host key per type given ("ed25519", "ecdsa", "rsa") and only those, accepting
     * the listed public keys (OpenSSH one-line format) for the current user.
     */
    public static OpenSshServer start(Path dir, List<String> hostKeyTypes, List<String> authorizedKeys)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD) || !Files.isExecutable(SFTP_SERVER)) {
            throw new IllegalStateException(SSHD + " or " + SFTP_SERVER + " is missing: install openssh-server");
        }
        Files.createDirectories(dir);
        privilegeSeparationDirectory();
        List<Path> keys = new ArrayList<>();
        for (String type : hostKeyTypes) {
            keys.add(keygen(dir.resolve("ssh_host_" + type + "_key"), type));
        }
        Path authorized = dir.resolve("authorized_keys");
        Files.write(authorized, authorizedKeys, StandardCharsets.US_ASCII);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, config(port, keys, authorized));
            Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
                    .start();
            OpenSshServer server = new OpenSshServer(dir, p, port, keys);
            if (server.awaitListening()) {
                return server;
            }
            server.close();
            last = new IOException("sshd did not start on port " + port + ":\n" + server.log());
        }
        throw last;
    }

    /** Debian's sshd, started as root, insists on its privilege-separation directory (made at boot by the package). */
    private static void privilegeSeparationDirectory() throws IOException {
        Path privsep = Path.of("/run/sshd");
        if ("root".equals(System.getProperty("user.name")) && !Files.isDirectory(privsep)) {
            Files.createDirectories(privsep);
        }
    }

    private static String config(int port, List<Path> keys, Path authorized) {
        StringBuilder c = new StringBuilder();
        c.append("Port ").append(port).append('\n').append("ListenAddress 127.0.0.1\n");
        for (Path k : keys) {
            c.append("HostKey ").append(k).append('\n');
        }
        c.append("AuthorizedKeysFile ").append(authorized).append('\n')
                .append("StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n")
                .append("PasswordAuthentication no\nKbdInteractiveAuthentication no\n")
                .append("AllowUsers ").append(user()).append('\n')
                .append("PidFile ").append(authorized.resolveSibling("sshd.pid")).append('\n')
                .append("Subsystem sftp ").append(SFTP_SERVER).append('\n');
        return c.toString();
    }

    private boolean awaitListening() throws InterruptedException {
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.contains("Server listening on")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                log.append(e).append('\n');
            }
            listening.complete(false);
        }, "sshd-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return listening.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A new unencrypted key pair made by ssh-keygen ("ed25519", "ecdsa", "rsa"); returns the private key file. */
    public static Path keygen(Path file, String type) throws IOException, InterruptedException {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "exportdesk-test", "-f", file.toString());
        return file;
    }

    /** The fingerprint exactly as {@code ssh-keygen -lf} prints it (e.g. SHA256:abc…). */
    public static String fingerprint(Path keyFile) throws IOException, InterruptedException {
        String out = run("ssh-keygen", "-lf", keyFile + ".pub");
        return out.trim().split("\\s+")[1];
    }

    public static String publicKeyLine(Path keyFile) {
        try {
            return Files.readString(Path.of(keyFile + ".pub")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    public static String user() {
        return System.getProperty("user.name");
    }

    public int port() {
        return port;
    }

    /** The private key file of the host key of this type. */
    public Path hostKey(String type) {
        return hostKeys.stream().filter(k -> k.getFileName().toString().equals("ssh_host_" + type + "_key"))
                .findFirst().orElseThrow();
    }

    /** A known_hosts line for this server's key of this type, as ssh would write it. */
    public String knownHostsLine(String type) {
        String[] pub = publicKeyLine(hostKey(type)).split(" ");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    }

    public Path dir() {
        return dir;
    }

    public String log() {
        return log.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
