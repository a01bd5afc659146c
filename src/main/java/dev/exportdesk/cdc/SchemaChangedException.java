package dev.exportdesk.cdc;

/**
 * The log describes the table with other columns or types than those the capture was set up for
 * (DDL on the table): the engine stops the contract in SCHEMA_DRIFT, as a scan does.
 */
public final class SchemaChangedException extends CaptureException {
    public SchemaChangedException(String message) {
        super(message);
    }
}
