package dev.exportdesk.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A value sealed with AES-256-GCM under the master key, with a fresh 96-bit nonce and a label bound
 * in as associated data, so a sealed value copied to another place does not open. Base64 text, to
 * sit in a JSON file or a portable VARCHAR column.
 */
public record Sealed(String nonce, String ciphertext) {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    static Sealed seal(SecretKey key, String label, byte[] plain) {
        byte[] nonce = KeyMaterial.randomBytes(12);
        return new Sealed(B64.encodeToString(nonce), B64.encodeToString(crypt(Cipher.ENCRYPT_MODE, key, nonce, label,
                plain)));
    }

    /** The plain bytes; a wrong key or a value moved from another label is a {@link StoreConfigException}. */
    byte[] open(SecretKey key, String label, String what) {
        try {
            return crypt(Cipher.DECRYPT_MODE, key, Base64.getDecoder().decode(nonce), label,
                    Base64.getDecoder().decode(ciphertext));
        } catch (IllegalArgumentException | AEADFailure e) {
            throw new StoreConfigException(what + " cannot be decrypted with this master key (check "
                    + KeyMaterial.MASTER_SECRET_ENV + " or " + KeyMaterial.KEY_FILE_ENV + ")", e);
        }
    }

    private static final class AEADFailure extends RuntimeException {
        AEADFailure(Throwable cause) {
            super(cause);
        }
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String label, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new AEADFailure(e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cipher failure: " + e.getMessage(), e);
        }
    }
}
