package dev.exportdesk.pgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP messages as partners' tools expect them (RFC 4880, what GnuPG 2.2 reads and writes):
 * AES-256 with an integrity check (MDC), to one or more recipients, signed by our key in the same
 * message (one-pass), binary, no compression (chunks are compressed already); and detached,
 * ASCII-armored signatures of files such as the manifest. Decryption is strict: the message must be
 * integrity-protected, and when a signer is expected it must carry a valid signature by exactly that
 * key — a signature by any other key is refused, never ignored.
 */
public final class PgpCrypto {
    private static final int BUFFER = 1 << 16;

    private PgpCrypto() {
    }

    /** Encrypts {@code plaintext} to every recipient, signed by {@code signer} (null: unsigned). */
    public static void encrypt(InputStream plaintext, OutputStream out, List<PartnerKey> recipients, SigningKey signer)
            throws IOException {
        try (OutputStream data = encrypting(out, recipients, signer)) {
            plaintext.transferTo(data);
        }
    }

    /**
     * A stream that encrypts what is written to it into {@code out} (to every recipient, signed by
     * {@code signer}, null: unsigned); closing it ends the message (signature, integrity check) but
     * leaves {@code out} open. The literal data is streamed in partial packets, so nothing is held in
     * memory whatever the size.
     */
    public static OutputStream encrypting(OutputStream out, List<PartnerKey> recipients, SigningKey signer)
            throws IOException {
        if (recipients.isEmpty()) {
            throw new PgpException("no recipient to encrypt to");
        }
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(
                SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(new SecureRandom())
                .setProvider(PgpKeys.BULK_CIPHER));
        recipients.forEach(r -> generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(r.encryptionKey())
                .setProvider(PgpKeys.PROVIDER)));
        try {
            OutputStream encrypted = generator.open(out, new byte[BUFFER]);
            PGPSignatureGenerator signature = signer == null ? null : signatureGenerator(signer, null);
            if (signature != null) {
                signature.generateOnePassVersion(false).encode(encrypted);
            }
            OutputStream data = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "", new Date(),
                    new byte[BUFFER]);
            return new SealingStream(data, encrypted, signature);
        } catch (PGPException e) {
            throw new PgpException("cannot encrypt: " + e.getMessage(), e);
        }
    }

    /** The literal data of a message being written: signs what passes, and ends the message on close. */
    private static final class SealingStream extends java.io.FilterOutputStream {
        private final OutputStream encrypted;
        private final PGPSignatureGenerator signature;
        private boolean closed;

        SealingStream(OutputStream data, OutputStream encrypted, PGPSignatureGenerator signature) {
            super(data);
            this.encrypted = encrypted;
            this.signature = signature;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (signature != null) {
                signature.update(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
            try {
                if (signature != null) {
                    signature.generate().encode(encrypted);
                }
            } catch (PGPException e) {
                throw new PgpException("cannot sign: " + e.getMessage(), e);
            } finally {
                encrypted.close();
            }
        }
    }

    /**
     * Decrypts a message to one of {@code keys} into {@code out}. With {@code signerRing} given, the
     * message must carry a valid signature by a key of that certificate; without, any signature is
     * ignored. Throws on
     * a message not to this key, without integrity protection, tampered, or signed otherwise.
     */
    public static void decrypt(InputStream message, OutputStream out, List<PGPPrivateKey> keys,
                               org.bouncycastle.openpgp.PGPPublicKeyRing signerRing) throws IOException {
        decrypt(message, out, keys, signerRing, Long.MAX_VALUE);
    }

    /**
     * As {@link #decrypt(InputStream, OutputStream, List, PGPPublicKeyRing)}, refusing a message that
     * decrypts to more than {@code maxBytes}: a hostile sender's compressed packet cannot fill a disk.
     */
    public static void decrypt(InputStream message, OutputStream out, List<PGPPrivateKey> keys,
                               PGPPublicKeyRing signerRing, long maxBytes) throws IOException {
        try {
            PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(message),
                    new JcaKeyFingerprintCalculator());
            Object first = factory.nextObject();
            PGPEncryptedDataList list = first instanceof PGPEncryptedDataList l ? l
                    : first == null ? null : (PGPEncryptedDataList) factory.nextObject();
            if (list == null) {
                throw new PgpException("not an OpenPGP encrypted message");
            }
            PGPPublicKeyEncryptedData ours = null;
            PGPPrivateKey key = null;
            for (Iterator<PGPEncryptedData> it = list.getEncryptedDataObjects(); it.hasNext(); ) {
                PGPEncryptedData d = it.next();
                for (PGPPrivateKey k : keys) {
                    if (d instanceof PGPPublicKeyEncryptedData p && p.getKeyID() == k.getKeyID()) {
                        ours = p;
                        key = k;
                    }
                }
            }
            if (ours == null) {
                throw new PgpException("the message is not encrypted to this key");
            }
            if (!ours.isIntegrityProtected()) {
                throw new PgpException("the message has no integrity protection (MDC); refused");
            }
            InputStream clear = ours.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder()
                    .setProvider(PgpKeys.PROVIDER).setContentProvider(PgpKeys.BULK_CIPHER).build(key));
            PGPObjectFactory inner = new PGPObjectFactory(clear, new JcaKeyFingerprintCalculator());
            Object o = inner.nextObject();
            if (o instanceof PGPCompressedData compressed) {
                inner = new PGPObjectFactory(compressed.getDataStream(), new JcaKeyFingerprintCalculator());
                o = inner.nextObject();
            }
            PGPOnePassSignature onePass = null;
            if (o instanceof PGPOnePassSignatureList ops) {
                onePass = ops.get(0);
                o = inner.nextObject();
            }
            if (!(o instanceof PGPLiteralData literal)) {
                throw new PgpException("the message holds no data");
            }
            boolean checking = signerRing != null;
            if (checking) {
                String expected = PgpKeys.hex(signerRing.getPublicKey().getFingerprint());
                if (onePass == null) {
                    throw new PgpException("the message is not signed; a signature by " + expected + " is required");
                }
                PGPPublicKey signer = signerRing.getPublicKey(onePass.getKeyID());
                if (signer == null) {
                    throw new PgpException("the message is signed by another key (key id "
                            + Long.toHexString(onePass.getKeyID()).toUpperCase() + "), not by " + expected);
                }
                onePass.init(new JcaPGPContentVerifierBuilderProvider().setProvider(PgpKeys.PROVIDER), signer);
            }
            try (InputStream data = literal.getInputStream()) {
                byte[] buffer = new byte[BUFFER];
                long total = 0;
                for (int n = readMessage(data, buffer); n >= 0; n = readMessage(data, buffer)) {
                    total += n;
                    if (total > maxBytes) {
                        throw new PgpException("the message decrypts to more than " + maxBytes + " bytes; refused");
                    }
                    out.write(buffer, 0, n); // the caller's own I/O errors stay IOExceptions
                    if (checking) {
                        onePass.update(buffer, 0, n);
                    }
                }
            }
            if (checking) {
                Object sigs = nextMessageObject(inner);
                if (!(sigs instanceof PGPSignatureList signatures) || signatures.isEmpty()
                        || !onePass.verify(signatures.get(0))) {
                    throw new PgpException("the message's signature does not verify");
                }
            }
            if (!ours.verify()) {
                throw new PgpException("the message was altered (integrity check failed)");
            }
        } catch (PGPException | ClassCastException e) {
            throw new PgpException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    /** Reads the message; what breaks there (a damaged packet, a bad checksum) is the message's fault. */
    private static int readMessage(InputStream data, byte[] buffer) {
        try {
            return data.read(buffer);
        } catch (IOException e) {
            throw new PgpException("the message is damaged or was altered (" + e.getMessage() + ")", e);
        }
    }

    private static Object nextMessageObject(PGPObjectFactory factory) {
        try {
            return factory.nextObject();
        } catch (IOException e) {
            throw new PgpException("the message is damaged or was altered (" + e.getMessage() + ")", e);
        }
    }

    /** An ASCII-armored detached signature of {@code data}, as {@code gpg --detach-sign --armor} makes. */
    public static byte[] detachedSignature(InputStream data, SigningKey signer) throws IOException {
        return detachedSignature(data, signer, null);
    }

    /**
     * As {@link #detachedSignature(InputStream, SigningKey)}, made at {@code at} (null: now; never
     * before the key's creation): the same data, key and time give the same bytes (the accepted
     * signing algorithms are deterministic), so a resumed run re-sends an identical signature.
     */
    public static byte[] detachedSignature(InputStream data, SigningKey signer, Instant at) throws IOException {
        try {
            PGPSignatureGenerator generator = signatureGenerator(signer, at);
            byte[] buffer = new byte[BUFFER];
            for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
                generator.update(buffer, 0, n);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
                generator.generate().encode(armored);
            }
            return out.toByteArray();
        } catch (PGPException e) {
            throw new PgpException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (armored or binary, detached) is a valid signature of {@code data} by a key of {@code ring}. */
    public static boolean verifyDetached(InputStream data, byte[] signature, PGPPublicKeyRing ring) throws IOException {
        try {
            PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(
                    new java.io.ByteArrayInputStream(signature)), new JcaKeyFingerprintCalculator());
            if (!(factory.nextObject() instanceof PGPSignatureList list) || list.isEmpty()) {
                return false;
            }
            PGPPublicKey key = ring.getPublicKey(list.get(0).getKeyID());
            return key != null && verifyDetached(data, signature, key);
        } catch (IOException | RuntimeException e) {
            return false; // not a signature at all
        }
    }

    /** Whether {@code signature} (armored or binary, detached) is a valid signature of {@code data} by {@code signer}. */
    public static boolean verifyDetached(InputStream data, byte[] signature, PGPPublicKey signer) throws IOException {
        try {
            PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(
                    new java.io.ByteArrayInputStream(signature)), new JcaKeyFingerprintCalculator());
            if (!(factory.nextObject() instanceof PGPSignatureList list) || list.isEmpty()) {
                return false;
            }
            PGPSignature s = list.get(0);
            if (s.getKeyID() != signer.getKeyID()) {
                return false;
            }
            s.init(new JcaPGPContentVerifierBuilderProvider().setProvider(PgpKeys.PROVIDER), signer);
            byte[] buffer = new byte[BUFFER];
            for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
                s.update(buffer, 0, n);
            }
            return s.verify();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    private static PGPSignatureGenerator signatureGenerator(SigningKey signer, Instant at) throws PGPException {
        PGPSignatureGenerator g = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                signer.publicKey().getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(PgpKeys.PROVIDER)
                .setDigestProvider(PgpKeys.BULK_DIGEST), signer.publicKey());
        g.init(PGPSignature.BINARY_DOCUMENT, signer.privateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        // never before the key itself: gpg refuses a signature older than its key ("time conflict")
        Instant created = signer.publicKey().getCreationTime().toInstant();
        Instant when = at == null ? Instant.now() : at.isBefore(created) ? created : at;
        hashed.setSignatureCreationTime(false, Date.from(when));
        hashed.setIssuerFingerprint(false, signer.publicKey());
        g.setHashedSubpackets(hashed.generate());
        return g;
    }
}
