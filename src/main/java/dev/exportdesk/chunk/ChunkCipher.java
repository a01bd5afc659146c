package dev.exportdesk.chunk;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.OpenPgpSpec;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.pgp.PartnerKey;
import dev.exportdesk.pgp.PgpCrypto;
import dev.exportdesk.pgp.PgpException;
import dev.exportdesk.pgp.PgpKeys;
import dev.exportdesk.pgp.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.openpgp.PGPPrivateKey;

/**
 * A contract's OpenPGP keys made ready for one run (docs/contracts.md, {@code openpgp}): the partner's
 * keys, checked against the run's clock, and our signing key, read from the vault and unlocked in
 * memory only — never logged, never written. Chunks are encrypted (and signed) as they are sealed,
 * the manifest's detached signature is made with the same key, and {@link #reader} opens delivered
 * chunks for our deep verification.
 */
public final class ChunkCipher {
    static final String RECIPIENTS = "$.openpgp.encrypt_to";
    static final String SIGN_SECRET = "$.openpgp.sign_with.secret";
    static final String PASSPHRASE_SECRET = "$.openpgp.sign_with.passphrase_secret";
    private final List<PartnerKey> recipients;
    private final SigningKey signer;
    private final boolean signManifest;

    private ChunkCipher(List<PartnerKey> recipients, SigningKey signer, boolean signManifest) {
        this.recipients = List.copyOf(recipients);
        this.signer = signer;
        this.signManifest = signManifest;
    }

    /**
     * The contract's cipher at {@code now}, or null when it does not encrypt. {@code secrets} gives a
     * vault secret's value by name (bound to the {@code openpgp:sign} scope). Throws {@link PgpException}
     * naming the field (an expired key, a signing key that does not unlock), or the vault's refusal of
     * a secret as a runtime exception whose message names the secret (never its value).
     */
    public static ChunkCipher of(Contract contract, Function<String, String> secrets, Instant now) {
        return of(contract, secrets, now, now);
    }

    /**
     * For finishing a run whose chunks are sealed: only the manifest is still to be signed, so a
     * partner's key that expired since the chunks were encrypted to it does not stop the run.
     */
    public static ChunkCipher forFinishing(Contract contract, Function<String, String> secrets, Instant now) {
        return of(contract, secrets, now, null);
    }

    private static ChunkCipher of(Contract contract, Function<String, String> secrets, Instant now,
                                  Instant recipientsAt) {
        OpenPgpSpec spec = contract.openpgp();
        if (spec == null) {
            return null;
        }
        List<PartnerKey> keys = new ArrayList<>();
        for (int i = 0; i < spec.encryptTo().size(); i++) {
            keys.add(PgpKeys.readPublic(spec.encryptTo().get(i), RECIPIENTS + "[" + i + "]", recipientsAt));
        }
        SigningKey signer = null;
        if (spec.signed()) {
            String key = secret(secrets, spec.signSecret(), SIGN_SECRET);
            char[] passphrase = passphrase(spec, secrets);
            try {
                signer = PgpKeys.readSecret(key, passphrase, SIGN_SECRET, now);
                PgpKeys.OwnKey own = PgpKeys.readOwn(key, passphrase, SIGN_SECRET, now);
                if (own != null && keys.stream().noneMatch(k -> k.fingerprint().equals(own.recipient().fingerprint()))) {
                    keys.add(own.recipient()); // encrypt-to-self: our deep verification reads what it delivered
                }
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
        return new ChunkCipher(keys, signer, spec.signManifest());
    }

    private static char[] passphrase(OpenPgpSpec spec, Function<String, String> secrets) {
        return spec.passphraseSecret() == null ? new char[0]
                : secret(secrets, spec.passphraseSecret(), PASSPHRASE_SECRET).toCharArray();
    }

    /**
     * How our verification reads a delivered chunk of {@code contract}: its uncompressed content. An
     * encrypted chunk is decrypted with our own key (chunks are encrypted to it too when the signing
     * key can decrypt); without one it cannot be read here and opening it throws
     * {@link EncryptedChunkException}. Whatever the time: old runs stay verifiable after a key expired.
     * The plaintext is read back through {@code scratch} (the workspace's, not the machine's temporary folder).
     */
    public static ContentReader reader(Contract contract, Function<String, String> secrets, Scratch scratch) {
        OpenPgpSpec spec = contract.openpgp();
        if (spec == null) {
            return in -> Codecs.content(in, contract.format(), contract.compression(), scratch);
        }
        List<List<PGPPrivateKey>> own = new ArrayList<>(); // read from the vault at the first chunk that is opened
        return in -> {
            try (InputStream message = in) {
                if (own.isEmpty()) {
                    own.add(ownKeys(spec, secrets));
                }
                if (own.get(0).isEmpty()) {
                    throw new EncryptedChunkException();
                }
                return Codecs.content(decrypted(message, own.get(0), scratch), contract.format(), contract.compression(),
                        scratch);
            }
        };
    }

    private static List<PGPPrivateKey> ownKeys(OpenPgpSpec spec, Function<String, String> secrets) throws IOException {
        if (!spec.signed()) {
            return List.of();
        }
        char[] passphrase = new char[0];
        try {
            passphrase = passphrase(spec, secrets);
            PgpKeys.OwnKey key = PgpKeys.readOwn(secret(secrets, spec.signSecret(), SIGN_SECRET), passphrase,
                    SIGN_SECRET, null);
            return key == null ? List.of() : key.privateKeys();
        } catch (RuntimeException e) {
            throw new IOException("our OpenPGP key cannot be read to decrypt the delivered chunk: " + e.getMessage(), e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Opens a delivered chunk's uncompressed content. */
    @FunctionalInterface
    public interface ContentReader {
        InputStream open(InputStream delivered) throws IOException;
    }

    /** The compressed plaintext of {@code message}, in an owner-only scratch file removed when closed. */
    private static InputStream decrypted(InputStream message, List<PGPPrivateKey> keys, Scratch scratch)
            throws IOException {
        SafeFiles.Temp temp = scratch.create("chunk");
        Path plain = temp.path();
        try (OutputStream out = Channels.newOutputStream(temp.channel())) {
            PgpCrypto.decrypt(message, out, keys, null);
            return Files.newInputStream(plain, StandardOpenOption.DELETE_ON_CLOSE, LinkOption.NOFOLLOW_LINKS);
        } catch (PgpException e) {
            Files.deleteIfExists(plain);
            throw new IOException("the delivered chunk does not decrypt: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(plain);
            throw e;
        }
    }

    /**
     * Import's check of a contract's keys and signing secret at {@code now}: what {@link #of} would
     * refuse becomes a validation error naming the field, so nothing is stored.
     */
    public static void check(Contract contract, String origin, Function<String, String> secrets, Instant now) {
        try {
            of(contract, secrets, now);
        } catch (FieldException e) {
            throw new ContractValidationException(origin, List.of(new ValidationError(e.field, e.getMessage())));
        } catch (PgpException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            boolean named = colon > 0 && message.startsWith("$.");
            throw new ContractValidationException(origin, List.of(new ValidationError(
                    named ? message.substring(0, colon) : "$.openpgp", named ? message.substring(colon + 2) : message)));
        }
    }

    private static String secret(Function<String, String> secrets, String name, String field) {
        try {
            return secrets.apply(name);
        } catch (RuntimeException e) {
            throw new FieldException(field, e.getMessage(), e);
        }
    }

    /** A vault refusal, kept apart so it is reported under the field that named the secret. */
    private static final class FieldException extends RuntimeException {
        private final String field;

        FieldException(String field, String message, Throwable cause) {
            super(message, cause);
            this.field = field;
        }
    }

    /** Wraps a sealed chunk's file stream: what is written is encrypted (and signed) into {@code out}. */
    OutputStream encrypting(OutputStream out) throws IOException {
        return PgpCrypto.encrypting(out, recipients, signer);
    }

    /** Whether each run delivers a detached {@link OpenPgpSpec#MANIFEST_SIGNATURE}. */
    public boolean signsManifest() {
        return signManifest && signer != null;
    }

    /**
     * The manifest's armored detached signature made at {@code at} (the run's planned time): the
     * same manifest gives the same bytes, so a resumed run re-sends an identical file.
     */
    public byte[] manifestSignature(byte[] manifest, Instant at) throws IOException {
        return PgpCrypto.detachedSignature(new ByteArrayInputStream(manifest), signer, at);
    }
}
