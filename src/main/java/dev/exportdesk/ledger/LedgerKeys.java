package dev.exportdesk.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The workspace's Ed25519 signing key, created on first use in {@code <dir>/signing.key} (PKCS#8,
 * base64, owner-only permissions) with its public half in {@code signing.pub} (X.509, base64) and
 * the verifier key partners need in {@code verifier.key}. The origin (and key name) is
 * {@code exportdesk/<first 16 hex digits of SHA-256 of the public key>}.
 */
public record LedgerKeys(String origin, PrivateKey privateKey, PublicKey publicKey) {

    public String verifierKey() {
        return SignedNote.verifierKey(origin, publicKey);
    }

    public String sign(Checkpoint checkpoint) {
        return SignedNote.sign(checkpoint.text(), origin, privateKey, publicKey);
    }

    public static LedgerKeys loadOrCreate(Path dir) {
        Path priv = dir.resolve("signing.key");
        Path pub = dir.resolve("signing.pub");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(priv)) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                writeAtomically(pub, pair.getPublic().getEncoded(), false);
                writeAtomically(priv, pair.getPrivate().getEncoded(), true);
            }
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(read(priv)));
            PublicKey publicKey = kf.generatePublic(new X509EncodedKeySpec(read(pub)));
            LedgerKeys keys = of(privateKey, publicKey);
            Path vkey = dir.resolve("verifier.key");
            if (!Files.exists(vkey)) {
                writeAtomically(vkey, (keys.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8), false);
            }
            return keys;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new LedgerException("cannot load the workspace signing key in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A team store's key (kept sealed in the store, one per store): built from its DER halves, with
     * the verifier key partners need written to {@code <dir>/verifier.key} when missing or stale.
     */
    public static LedgerKeys of(byte[] pkcs8PrivateKey, byte[] x509PublicKey, Path dir) {
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            LedgerKeys keys = of(kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8PrivateKey)),
                    kf.generatePublic(new X509EncodedKeySpec(x509PublicKey)));
            Files.createDirectories(dir);
            Path vkey = dir.resolve("verifier.key");
            byte[] text = (keys.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8);
            if (!Files.exists(vkey) || !java.util.Arrays.equals(Files.readAllBytes(vkey), text)) {
                writeAtomically(vkey, text, false);
            }
            return keys;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new LedgerException("cannot load the team store's signing key: " + e.getMessage(), e);
        }
    }

    private static LedgerKeys of(PrivateKey privateKey, PublicKey publicKey) {
        String origin = "exportdesk/" + HexFormat.of().formatHex(
                Merkle.sha256().digest(SignedNote.rawPublicKey(publicKey))).substring(0, 16);
        return new LedgerKeys(origin, privateKey, publicKey);
    }

    /** The DER halves (PKCS#8 private, X.509 public) of the key in {@code dir}, to carry it into a team store. */
    public byte[][] encoded() {
        return new byte[][] {privateKey.getEncoded(), publicKey.getEncoded()};
    }

    private static byte[] read(Path file) throws IOException {
        return Base64.getMimeDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }

    private static void writeAtomically(Path file, byte[] der, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] text = file.getFileName().toString().endsWith(".key") && !secret ? der
                : (Base64.getEncoder().encodeToString(der) + "\n").getBytes(StandardCharsets.US_ASCII);
        Files.write(tmp, text);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the workspace directory's own permissions apply
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
