package dev.exportdesk.pgp;

import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;

/** Our signing key, unlocked: what signs chunks and manifests; {@code publicKey} is what partners verify with. */
public record SigningKey(String fingerprint, PGPPublicKey publicKey, PGPPrivateKey privateKey) {
}
