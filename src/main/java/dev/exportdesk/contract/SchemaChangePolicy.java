package dev.exportdesk.contract;

/**
 * What a run does when the source's table no longer has the columns the contract version was
 * accepted with (docs/contracts.md, "Schema changes"). {@code STOP}, the default, stops the run in
 * SCHEMA_DRIFT until a steward imports the contract again. {@code ADDITIVE} takes NULLABLE columns
 * added at the end of the table into a new contract version by itself; every other change still stops.
 */
public enum SchemaChangePolicy {
    STOP("stop"), ADDITIVE("additive");

    private final String jsonName;

    SchemaChangePolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
