package dev.exportdesk.store;

/** What an unfinished run has sealed so far (its {@code runs} row carries counts only once it completes). */
public record SealedTotals(long rows, long bytes, int chunks) {
}
