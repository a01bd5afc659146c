package dev.exportdesk.pgp;

/** A key, ciphertext or signature that is refused, with what is wrong in words (never key material). */
public final class PgpException extends RuntimeException {
    public PgpException(String message) {
        super(message);
    }

    public PgpException(String message, Throwable cause) {
        super(message, cause);
    }
}
