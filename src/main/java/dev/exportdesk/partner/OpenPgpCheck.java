package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.pgp.PgpCrypto;
import dev.exportdesk.pgp.PgpException;
import dev.exportdesk.pgp.PgpKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The partner's OpenPGP keys for checking an encrypted delivery ({@code "encryption": "openpgp"}):
 * their own secret key, to decrypt chunks and check the content, and the sender's public key, to
 * require every chunk — and {@code manifest.json.asc} — to be signed by exactly that key. Either
 * may be absent: without a decryption key only the ciphertext's hashes are checked, and the result
 * says so. Key files are the partner's own, read from their machine, bounded in size.
 */
public record OpenPgpCheck(List<PGPPrivateKey> decryptionKeys, PGPPublicKeyRing sender) {
    public static final String MANIFEST_SIGNATURE = "manifest.json.asc";
    /** An armored detached signature is a few hundred bytes. */
    static final long MAX_SIGNATURE_BYTES = 64L << 10;
    public static final OpenPgpCheck NONE = new OpenPgpCheck(null, null);

    /**
     * Reads the key files ({@code null}: not given). {@code passphrase} unlocks the decryption key
     * (empty: none). Throws {@link PgpException} naming the option when a file is not a usable key.
     */
    public static OpenPgpCheck read(Path decryptionKey, char[] passphrase, Path senderKey) throws IOException {
        List<PGPPrivateKey> keys = decryptionKey == null ? null : PgpKeys.readDecryptionKeys(text(decryptionKey),
                passphrase, "--decrypt-key " + decryptionKey.getFileName());
        // the sender's key may have expired since an old run was signed: its signatures still count
        PGPPublicKeyRing sender = senderKey == null ? null : PgpKeys.readPublicRing(text(senderKey),
                "--signer-key " + senderKey.getFileName());
        return new OpenPgpCheck(keys, sender);
    }

    private static String text(Path file) throws IOException {
        return new String(SafeFiles.readRegular(file, PgpKeys.MAX_KEY_BYTES), StandardCharsets.UTF_8);
    }

    /**
     * Decrypts {@code message} into a new private temporary file beside nothing of the delivery's (the
     * JDK's temporary folder, owner-only: this verifier runs on the partner's machine, without a
     * workspace), checking the sender's signature when the sender's key was given. Our messages are not compressed inside, so their plaintext is never larger than the
     * ciphertext: more than {@code maxBytes} is refused. The caller reads the plaintext and deletes it.
     */
    Path decrypt(InputStream message, long maxBytes) throws IOException {
        SafeFiles.Temp temp = Scratch.system().create("verify");
        Path plain = temp.path();
        try (OutputStream out = java.nio.channels.Channels.newOutputStream(temp.channel())) {
            PgpCrypto.decrypt(message, out, decryptionKeys, sender, maxBytes);
            return plain;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(plain);
            throw e;
        }
    }

    /** The {@code manifest.json.asc} item of a run, or null when the run carries none. */
    Item manifestSignature(Path dir, String run, byte[] manifest) throws IOException {
        Path asc = dir.resolve(MANIFEST_SIGNATURE);
        if (SafeFiles.lstat(asc) == null) {
            return sender == null ? null : Item.fail(run, MANIFEST_SIGNATURE, "missing: the manifest is not signed "
                    + "(--signer-key says it must be)");
        }
        byte[] signature;
        try {
            signature = SafeFiles.readRegular(asc, MAX_SIGNATURE_BYTES);
        } catch (IOException e) {
            return Item.fail(run, MANIFEST_SIGNATURE, "unreadable: " + e.getMessage());
        }
        if (sender == null) {
            return Item.pass(run, MANIFEST_SIGNATURE, "not checked: give the sender's OpenPGP key with --signer-key");
        }
        return PgpCrypto.verifyDetached(new ByteArrayInputStream(manifest), signature, sender)
                ? Item.pass(run, MANIFEST_SIGNATURE, "good signature by " + PgpKeys.fingerprint(sender))
                : Item.fail(run, MANIFEST_SIGNATURE, "the signature does not verify with "
                + PgpKeys.fingerprint(sender) + ": the manifest was changed, or signed by another key");
    }

    static boolean encrypted(JsonNode manifest) {
        return "openpgp".equals(manifest.path("encryption").asText(null));
    }
}
