package dev.exportdesk.pgp;

import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A partner's OpenPGP public key, accepted for encryption: {@code encryptionKey} is the subkey (or
 * primary key) chunks are encrypted to, {@code ring} the whole certificate (its primary key verifies
 * the partner's signatures). {@code expiresAt} null: the key does not expire.
 */
public record PartnerKey(String fingerprint, String userId, PGPPublicKeyRing ring, PGPPublicKey encryptionKey,
                         Instant expiresAt) {
}
