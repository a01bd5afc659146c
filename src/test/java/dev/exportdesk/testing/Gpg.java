package dev.exportdesk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real GnuPG (Debian's {@code gpg}) with a keyring of its own in a temporary home, for
 * interoperability tests: keys are made and messages encrypted, signed, decrypted and verified by
 * gpg itself, never by the code under test. Its agent is stopped on {@link #close}.
 */
public final class Gpg implements AutoCloseable {
    private final Path home;

    /** The outcome of one gpg command. */
    public record Result(int exit, String out, String err) {
    }

    public Gpg() throws IOException {
        // short: the agent's socket lives in it and Unix socket paths are limited
        this.home = Files.createTempDirectory(Path.of("/tmp"), "gpg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** Makes a key for {@code uid} ({@code algo}, {@code usage}, {@code expire} as gpg's --quick-gen-key takes them). */
    public void generate(String uid, String algo, String usage, String expire) throws IOException, InterruptedException {
        require(run(null, "--quick-gen-key", uid, algo, usage, expire), "generate " + uid);
    }

    public String exportPublic(String uid) throws IOException, InterruptedException {
        return require(run(null, "--armor", "--export", uid), "export " + uid).out();
    }

    public String exportSecret(String uid) throws IOException, InterruptedException {
        return require(run(null, "--armor", "--export-secret-keys", uid), "export secret " + uid).out();
    }

    public void importKey(String armored) throws IOException, InterruptedException {
        require(run(armored.getBytes(StandardCharsets.UTF_8), "--import"), "import");
    }

    /** Runs gpg with {@code args} (batch, no passphrases, everything trusted) and {@code input} on stdin. */
    public Result run(byte[] input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--passphrase", "", "--trust-model", "always"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (input != null) {
            try (var in = p.getOutputStream()) {
                in.write(input);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("gpg " + List.of(args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Result require(Result r, String what) {
        if (r.exit() != 0) {
            throw new IllegalStateException("gpg " + what + " failed (" + r.exit() + "): " + r.err());
        }
        return r;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").start().waitFor(20,
                TimeUnit.SECONDS);
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
