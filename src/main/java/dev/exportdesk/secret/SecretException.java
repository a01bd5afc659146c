package dev.exportdesk.secret;

/** A secret could not be stored, found or decrypted. The message never contains the value. */
public class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
