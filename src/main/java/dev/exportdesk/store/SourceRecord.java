package dev.exportdesk.store;

/** A row of {@code sources}: how the engine reaches a source (the engine reads it as a {@code SourceConnection}). */
public record SourceRecord(String name, String jdbcUrl, String user, String userEnv, String passwordEnv) {
}
