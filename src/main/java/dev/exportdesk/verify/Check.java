package dev.exportdesk.verify;

/** One verified item: what was checked (usually a file name), whether it passed, and why not. */
public record Check(String subject, boolean ok, String detail) {
    public static Check pass(String subject, String detail) {
        return new Check(subject, true, detail);
    }

    public static Check fail(String subject, String detail) {
        return new Check(subject, false, detail);
    }
}
