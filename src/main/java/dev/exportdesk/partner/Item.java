package dev.exportdesk.partner;

/** One checked item of a delivery: what (run and file), pass or fail, and why. */
public record Item(String run, String subject, boolean ok, String detail) {
    static Item pass(String run, String subject, String detail) {
        return new Item(run, subject, true, detail);
    }

    static Item fail(String run, String subject, String detail) {
        return new Item(run, subject, false, detail);
    }
}
