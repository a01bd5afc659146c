package dev.exportdesk.pgp;

import dev.exportdesk.text.Text;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;

/**
 * Reads OpenPGP keys that cross a trust boundary — a partner's public key given by a steward, our
 * signing key from the vault — and accepts only what is safe to use now: one certificate, not revoked
 * or expired, with a key for the purpose (encryption for a partner's, signing for ours) of an
 * accepted algorithm and strength. Every refusal names the field and what is wrong; no key material
 * is ever part of a message.
 */
public final class PgpKeys {
    /** A whole certificate with a few subkeys is a few kB; anything bigger is not a key we want. */
    public static final int MAX_KEY_BYTES = 64 * 1024;
    static final Provider PROVIDER = new BouncyCastleProvider();
    /**
     * What runs over every byte of a chunk — AES and the hashes — comes from the JDK where it has them:
     * its implementations use the CPU's AES and SHA instructions, Bouncy Castle's pure Java ones are 3
     * to 10 times slower (BENCHMARKS.md, issue 16). Key operations stay with Bouncy Castle.
     */
    static final Provider BULK_CIPHER = jdkOr("SunJCE");
    static final Provider BULK_DIGEST = jdkOr("SUN");
    private static final int MIN_RSA_BITS = 2048;

    private PgpKeys() {
    }

    /**
     * A partner's public key (ASCII-armored or binary), for encryption; {@code field} names it in errors.
     * {@code now} null: whatever the time — a stored contract stays readable after its partner's key
     * expired (a run checks the time again when it encrypts).
     */
    public static PartnerKey readPublic(String text, String field, Instant now) {
        return accept(onlyPublicRing(bytes(text, field), field), field, now);
    }

    /**
     * The encryption part of our own secret key (what chunks are also encrypted to, so our deep
     * verification can read what it delivered), or null when the key can only sign.
     */
    public static OwnKey readOwn(String text, char[] passphrase, String field, Instant now) {
        PGPSecretKeyRing secret;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes(text, field)))) {
            secret = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator()).getKeyRings().next();
        } catch (IOException | PGPException | RuntimeException e) {
            throw new PgpException(field + ": not an OpenPGP secret key (" + rootMessage(e) + ")", e);
        }
        List<PGPPublicKey> keys = new ArrayList<>();
        secret.getPublicKeys().forEachRemaining(keys::add);
        PartnerKey recipient;
        try {
            recipient = accept(new PGPPublicKeyRing(keys), field, now);
        } catch (PgpException e) {
            return null; // a sign-only key: chunks go to the partner alone
        }
        return new OwnKey(recipient, readDecryptionKeys(text, passphrase, field));
    }

    /** Our own key as a recipient, and its private keys to decrypt what was encrypted to it. */
    public record OwnKey(PartnerKey recipient, List<PGPPrivateKey> privateKeys) {
    }

    private static PartnerKey accept(PGPPublicKeyRing ring, String field, Instant now) {
        PGPPublicKey primary = ring.getPublicKey();
        usable(primary, field, "the key", now);
        PGPPublicKey encryption = null;
        List<String> refused = new ArrayList<>();
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey k = it.next();
            if (!k.isEncryptionKey() || !flagged(k, primary, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) {
                continue;
            }
            String problem = problem(k, now);
            if (problem == null) {
                problem = weak(k);
            }
            if (problem == null) {
                encryption = k;
                break;
            }
            refused.add(hex(k.getFingerprint()).substring(24) + ": " + problem);
        }
        if (encryption == null) {
            throw new PgpException(field + ": the key has no usable encryption key"
                    + (refused.isEmpty() ? " (it can only sign or certify)" : " (" + String.join("; ", refused) + ")"));
        }
        return new PartnerKey(hex(primary.getFingerprint()), userId(primary), ring, encryption, expiry(primary));
    }

    /**
     * Our signing key (a secret key, ASCII-armored or binary), unlocked with {@code passphrase}. Only
     * keys whose signatures are deterministic (Ed25519, RSA) are accepted: a run resumed after a crash
     * signs its manifest again and must re-send byte-identical signatures.
     */
    public static SigningKey readSecret(String text, char[] passphrase, String field, Instant now) {
        byte[] bytes = bytes(text, field);
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new PgpException(field + ": not an OpenPGP secret key (" + rootMessage(e) + ")", e);
        }
        if (rings.size() == 0) {
            throw new PgpException(field + ": not an OpenPGP secret key (no key in it)");
        }
        if (rings.size() != 1) {
            throw new PgpException(field + ": give exactly one secret key (found " + rings.size() + ")");
        }
        PGPSecretKeyRing ring = rings.getKeyRings().next();
        PGPPublicKey primary = ring.getPublicKey();
        usable(primary, field, "the key", now);
        for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
            PGPSecretKey s = it.next();
            PGPPublicKey k = s.getPublicKey();
            if (!s.isSigningKey() || !flagged(k, primary, KeyFlags.SIGN_DATA) || problem(k, now) != null
                    || weak(k) != null || s.isPrivateKeyEmpty()) {
                continue;
            }
            if (!deterministic(k.getAlgorithm())) {
                throw new PgpException(field + ": the signing key's algorithm (" + k.getAlgorithm() + ", ECDSA or DSA) "
                        + "makes randomized signatures, so a resumed run could not re-send identical bytes; use an "
                        + "Ed25519 or RSA signing key");
            }
            try {
                PGPPrivateKey key = s.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(PROVIDER)
                        .build(passphrase));
                return new SigningKey(hex(primary.getFingerprint()), k, key);
            } catch (PGPException e) {
                throw new PgpException(field + ": the signing key cannot be unlocked (wrong passphrase?)", e);
            }
        }
        throw new PgpException(field + ": the key has no usable signing key");
    }

    /**
     * The private keys of a secret key that can decrypt (what {@code verify-delivery} is given to
     * check an encrypted delivery's contents), unlocked with {@code passphrase}.
     */
    public static List<PGPPrivateKey> readDecryptionKeys(String text, char[] passphrase, String field) {
        byte[] bytes = bytes(text, field);
        List<PGPPrivateKey> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            for (Iterator<PGPSecretKeyRing> r = rings.getKeyRings(); r.hasNext(); ) {
                for (Iterator<PGPSecretKey> it = r.next().getSecretKeys(); it.hasNext(); ) {
                    PGPSecretKey s = it.next();
                    if (s.getPublicKey().isEncryptionKey() && !s.isPrivateKeyEmpty()) {
                        out.add(s.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(PROVIDER)
                                .build(passphrase)));
                    }
                }
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw new PgpException(field + ": not a usable OpenPGP secret key (" + rootMessage(e) + ")", e);
        }
        if (out.isEmpty()) {
            throw new PgpException(field + ": the secret key has no key that can decrypt");
        }
        return out;
    }

    /**
     * A sender's certificate, to check signatures it made: one public key, whatever its expiry (an old
     * run stays verifiable after the key expired); a revoked key is refused.
     */
    public static PGPPublicKeyRing readPublicRing(String text, String field) {
        PGPPublicKeyRing ring = onlyPublicRing(bytes(text, field), field);
        usable(ring.getPublicKey(), field, "the key", null);
        return ring;
    }

    /** The certificate's fingerprint, as gpg prints it (upper-case hex). */
    public static String fingerprint(PGPPublicKeyRing ring) {
        return hex(ring.getPublicKey().getFingerprint());
    }

    private static PGPPublicKeyRing onlyPublicRing(byte[] bytes, String field) {
        PGPPublicKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            rings = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new PgpException(field + ": not an OpenPGP public key (" + rootMessage(e) + ")", e);
        }
        if (rings.size() != 1) {
            throw new PgpException(field + ": give exactly one public key (found " + rings.size() + ")");
        }
        return rings.getKeyRings().next();
    }

    private static byte[] bytes(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new PgpException(field + ": no key given");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_KEY_BYTES) {
            throw new PgpException(field + ": " + bytes.length + " bytes is too large for a key (at most "
                    + MAX_KEY_BYTES + ")");
        }
        return bytes;
    }

    private static void usable(PGPPublicKey primary, String field, String what, Instant now) {
        String problem = problem(primary, now);
        if (problem != null) {
            throw new PgpException(field + ": " + what + " " + hex(primary.getFingerprint()) + " " + problem);
        }
    }

    private static boolean deterministic(int algorithm) {
        return switch (algorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                 PublicKeyAlgorithmTags.Ed25519, PublicKeyAlgorithmTags.Ed448 -> true;
            default -> false;
        };
    }

    /** Why {@code k} may not be used now (revoked, expired, not valid yet; {@code now} null: revoked only), or null. */
    private static String problem(PGPPublicKey k, Instant now) {
        if (k.hasRevocation()) {
            return "is revoked";
        }
        if (now == null) {
            return null;
        }
        Instant created = k.getCreationTime().toInstant();
        if (created.isAfter(now.plusSeconds(300))) {
            return "is created in the future (" + created + ")";
        }
        Instant expires = expiry(k);
        if (expires != null && !expires.isAfter(now)) {
            return "expired on " + expires;
        }
        return null;
    }

    private static String weak(PGPPublicKey k) {
        int algorithm = k.getAlgorithm();
        switch (algorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_ENCRYPT, PublicKeyAlgorithmTags.RSA_SIGN,
                 PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL -> {
                return k.getBitStrength() < MIN_RSA_BITS ? "a " + k.getBitStrength() + "-bit key is too weak (at least "
                        + MIN_RSA_BITS + ")" : null;
            }
            case PublicKeyAlgorithmTags.ECDH, PublicKeyAlgorithmTags.ECDSA, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                 PublicKeyAlgorithmTags.X25519, PublicKeyAlgorithmTags.X448, PublicKeyAlgorithmTags.Ed25519,
                 PublicKeyAlgorithmTags.Ed448 -> {
                return null;
            }
            default -> {
                return "its algorithm (" + algorithm + ") is not accepted";
            }
        }
    }

    /**
     * Whether the key's binding (its self-signature, or the primary's for the primary) allows
     * {@code flags}; a key whose signatures carry no key flags is judged by its algorithm alone.
     */
    private static boolean flagged(PGPPublicKey k, PGPPublicKey primary, int flags) {
        Iterator<PGPSignature> sigs = k.getSignatures();
        boolean any = false;
        while (sigs.hasNext()) {
            PGPSignature s = sigs.next();
            if (s.getHashedSubPackets() == null || !s.getHashedSubPackets().hasSubpacket(
                    org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)) {
                continue;
            }
            any = true;
            if ((s.getHashedSubPackets().getKeyFlags() & flags) != 0) {
                return true;
            }
        }
        return !any;
    }

    private static Instant expiry(PGPPublicKey k) {
        long seconds = k.getValidSeconds();
        return seconds <= 0 ? null : k.getCreationTime().toInstant().plusSeconds(seconds);
    }

    private static String userId(PGPPublicKey primary) {
        Iterator<String> ids = primary.getUserIDs();
        return ids.hasNext() ? Text.safe(ids.next()) : "";
    }

    private static Provider jdkOr(String name) {
        Provider p = java.security.Security.getProvider(name);
        return p != null ? p : PROVIDER;
    }

    static String hex(byte[] fingerprint) {
        return HexFormat.of().withUpperCase().formatHex(fingerprint);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : Text.safe(t.getMessage());
    }
}
