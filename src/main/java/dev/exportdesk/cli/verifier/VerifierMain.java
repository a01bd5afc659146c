package dev.exportdesk.cli.verifier;

import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.partner.Item;
import dev.exportdesk.partner.OpenPgpCheck;
import dev.exportdesk.partner.PartnerVerifier;
import dev.exportdesk.text.TerminalWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The standalone partner verifier ({@code java -jar exportdesk-verifier.jar DIR --public-key KEY}):
 * no database, no picocli, only the partner and ledger packages with Jackson and zstd-jni (and Bouncy
 * Castle, to decrypt and check the signatures of OpenPGP-encrypted deliveries).
 * Exit code 0 when everything passes, 6 when anything fails, 2 on usage errors, 3 when an OpenPGP key
 * file is not a usable key (the message names the option).
 */
public final class VerifierMain {
    private static final String USAGE = "usage: java -jar exportdesk-verifier.jar DIR --public-key KEY|FILE "
            + "[--state DIR] [--no-ack] [--decrypt-key FILE [--passphrase-file FILE]] [--signer-key FILE]";
    /** Where what was verified before is kept unless {@code --state} says otherwise: the partner's, never the delivery's. */
    public static final String DEFAULT_STATE_DIR = ".exportdesk-verifier";
    private static final long MAX_PASSPHRASE_BYTES = 4096;

    private VerifierMain() {
    }

    public static void main(String[] args) {
        // a delivery is hostile to the partner: nothing it holds may drive the partner's terminal
        PrintWriter out = new PrintWriter(new TerminalWriter(new PrintWriter(System.out, true, StandardCharsets.UTF_8)),
                true);
        PrintWriter err = new PrintWriter(new TerminalWriter(new PrintWriter(System.err, true, StandardCharsets.UTF_8)),
                true);
        Path dir = null;
        String key = null;
        Path state = null;
        boolean ack = true;
        Path decryptKey = null;
        Path passphrase = null;
        Path signerKey = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--public-key" -> key = i + 1 < args.length ? args[++i] : null;
                case "--decrypt-key" -> decryptKey = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--passphrase-file" -> passphrase = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--signer-key" -> signerKey = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--state" -> state = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--no-ack" -> ack = false;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    System.exit(0);
                }
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null || key == null) {
            err.println(USAGE);
            System.exit(2);
        }
        System.exit(run(dir, key, state, ack, new OpenPgpFiles(decryptKey, passphrase, signerKey), out, err));
    }

    /**
     * The partner's OpenPGP key files for an encrypted delivery, each null when not given: their
     * secret key, the file holding its passphrase, and the sender's public key.
     */
    public record OpenPgpFiles(Path decryptKey, Path passphrase, Path signerKey) {
        public static final OpenPgpFiles NONE = new OpenPgpFiles(null, null, null);
    }

    /** Runs the check and prints one PASS/FAIL line per item; returns the exit code. */
    public static int run(Path dir, String keyOrFile, Path state, boolean ack, PrintWriter out, PrintWriter err) {
        return run(dir, keyOrFile, state, ack, OpenPgpFiles.NONE, out, err);
    }

    /** As {@link #run(Path, String, Path, boolean, PrintWriter, PrintWriter)}, with OpenPGP keys. */
    public static int run(Path dir, String keyOrFile, Path state, boolean ack, OpenPgpFiles pgpFiles, PrintWriter out,
                          PrintWriter err) {
        OpenPgpCheck pgp;
        try {
            pgp = openPgp(pgpFiles);
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 3;
        }
        try {
            String key = keyOrFile;
            if (!keyOrFile.contains("+") || Files.isRegularFile(Path.of(keyOrFile))) {
                if (!Files.isRegularFile(Path.of(keyOrFile))) {
                    err.println("error: no verifier key at " + keyOrFile + "; give the sender's key with --public-key");
                    return 2;
                }
                key = Files.readString(Path.of(keyOrFile), StandardCharsets.UTF_8).trim();
            }
            Path abs = dir.toAbsolutePath().normalize();
            Path stateDir = state != null ? state : Path.of(System.getProperty("user.home"), DEFAULT_STATE_DIR);
            PartnerVerifier.Result result = new PartnerVerifier(key, ack, pgp).verify(abs, stateDir);
            String lastRun = null;
            for (Item item : result.items()) {
                if (!item.run().equals(lastRun)) {
                    out.println(item.run() + ":");
                    lastRun = item.run();
                }
                out.printf("  %s  %s: %s%n", item.ok() ? "PASS" : "FAIL", item.subject(), item.detail());
            }
            out.flush();
            if (result.ok()) {
                if (pgp.decryptionKeys() == null && result.items().stream().anyMatch(i -> i.detail().contains(
                        "ciphertext only"))) {
                    out.println("note: encrypted chunks were checked by their ciphertext's SHA-256 only; give "
                            + "--decrypt-key to check their content");
                }
                out.println("delivery verified");
                return 0;
            }
            err.println("delivery verification FAILED: " + result.items().stream().filter(i -> !i.ok()).count()
                    + " problem(s)");
            return 6;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 6;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static OpenPgpCheck openPgp(OpenPgpFiles files) throws IOException {
        if (files.decryptKey() == null && files.signerKey() == null) {
            if (files.passphrase() != null) {
                throw new IllegalArgumentException("--passphrase-file unlocks the --decrypt-key; give that too");
            }
            return OpenPgpCheck.NONE;
        }
        char[] passphrase = new char[0];
        if (files.passphrase() != null) {
            byte[] bytes = SafeFiles.readRegular(files.passphrase(), MAX_PASSPHRASE_BYTES);
            passphrase = new String(bytes, StandardCharsets.UTF_8).strip().toCharArray();
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        try {
            return OpenPgpCheck.read(files.decryptKey(), passphrase, files.signerKey());
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }
}
