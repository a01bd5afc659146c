package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code truncate_first} mark of a chunk (docs/delivery-format.md): the table was truncated at
 * the source just before the chunk's changes, and the partner empties its copy before applying it.
 * Only a stream run ships one, and only as the literal {@code true}: anything else is a malformed
 * manifest, not a request to empty a table.
 */
final class TruncateMark {
    static final String FIELD = "truncate_first";
    private static final String MODE = "incremental";

    private TruncateMark() {
    }

    /** The item for one chunk entry, or null when it carries no mark (nothing to check). */
    static Item check(String run, JsonNode manifest, JsonNode chunk) {
        JsonNode v = chunk.get(FIELD);
        if (v == null) {
            return null;
        }
        String subject = chunk.path("file").asText() + " (" + FIELD + ")";
        if (!v.isBoolean() || !v.booleanValue()) {
            return Item.fail(run, subject, "field \"" + FIELD + "\" must be true when present, not " + v);
        }
        if (!MODE.equals(manifest.path("mode").asText())) {
            return Item.fail(run, subject, "field \"" + FIELD + "\" is only allowed in an incremental run (mode is \""
                    + manifest.path("mode").asText() + "\")");
        }
        return Item.pass(run, subject, "the table was truncated at the source: empty your copy of the table, "
                + "then apply this chunk");
    }
}
