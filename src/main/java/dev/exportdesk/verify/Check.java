package dev.exportdesk.verify;

/**
 * One verified item: what was checked (usually a file name), whether it passed, and why not. A
 * delivered chunk's check also carries {@code sha256}, the hash of the bytes found at the
 * destination (null for other checks, and when the file could not be read there at all).
 */
public record Check(String subject, boolean ok, String detail, String sha256) {
    public static Check pass(String subject, String detail) {
        return new Check(subject, true, detail, null);
    }

    public static Check fail(String subject, String detail) {
        return new Check(subject, false, detail, null);
    }
}
