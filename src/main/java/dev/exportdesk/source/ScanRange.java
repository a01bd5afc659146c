package dev.exportdesk.source;

/**
 * Which part of the ordered source a scan reads, in canonical values. Lower bound: strictly after
 * an ordering tuple ({@code after}), or from a leading-cursor value inclusive ({@code leadingFrom}),
 * or from the start. Upper bound: up to an ordering tuple inclusive ({@code upTo}) and/or a
 * leading-cursor value inclusive ({@code leadingTo}). Every comparison happens in SQL, so the
 * database's own ordering (collations included) decides, never Java.
 */
public record ScanRange(Object[] after, Object leadingFrom, Object[] upTo, Object leadingTo) {

    public static ScanRange all() {
        return new ScanRange(null, null, null, null);
    }

    public ScanRange withAfter(Object[] tuple) {
        return new ScanRange(tuple, tuple == null ? leadingFrom : null, upTo, leadingTo);
    }
}
