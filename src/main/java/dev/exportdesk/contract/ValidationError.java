package dev.exportdesk.contract;

/** One problem with a contract, located by JSON path (e.g. {@code $.source.jdbc_url}). */
public record ValidationError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
