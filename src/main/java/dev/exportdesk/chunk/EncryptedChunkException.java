package dev.exportdesk.chunk;

import java.io.IOException;

/**
 * A delivered chunk is encrypted to the partner and we hold no key that opens it (the contract
 * signs with no key, or with one that cannot decrypt): its rows cannot be read back here.
 */
public final class EncryptedChunkException extends IOException {
    public EncryptedChunkException() {
        super("the delivered chunk is encrypted to the partner's key and this workspace holds no key that decrypts it "
                + "(give openpgp.sign_with a key with an encryption subkey, as gpg makes by default)");
    }
}
