package dev.exportdesk.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The exported columns a contract version was accepted with, as the state store keeps them beside
 * the schema fingerprint, so that a stopped run can say which column changed and how (the
 * fingerprint alone only says that something did).
 */
public final class SchemaColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaColumns() {
    }

    /** At most what the state store's column holds (PostgreSQL's 1,600 columns of 63-byte names and types fit). */
    static final int MAX_CHARS = 1_000_000;

    /** The columns as stored; null when they would not fit, so only the stop's message is the poorer. */
    public static String write(List<ColumnInfo> columns) {
        ArrayNode array = MAPPER.createArrayNode();
        columns.forEach(c -> array.addObject().put("name", c.outputName()).put("type", c.typeName())
                .put("kind", c.kind().name()).put("nullable", c.nullable()));
        String json = array.toString();
        return json.length() <= MAX_CHARS ? json : null;
    }

    /** The columns stored as {@code json}, when they are the ones {@code fingerprint} was taken of. */
    public static Optional<List<ColumnInfo>> read(String json, String fingerprint) {
        if (json == null || fingerprint == null) {
            return Optional.empty();
        }
        try {
            List<ColumnInfo> out = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(json)) {
                String name = n.path("name").asText();
                out.add(new ColumnInfo(name, name, 0, n.path("type").isNull() ? null : n.path("type").asText(),
                        n.path("nullable").asBoolean(), ValueKind.valueOf(n.path("kind").asText())));
            }
            return SchemaInspector.fingerprint(out).equals(fingerprint) ? Optional.of(out) : Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty(); // only a message is lost: the fingerprint decides
        }
    }

    /** What changed from {@code before} to {@code now}, column by column, e.g. {@code column "name" dropped}. */
    public static String difference(List<ColumnInfo> before, List<ColumnInfo> now) {
        List<String> changes = new ArrayList<>();
        for (ColumnInfo b : before) {
            Optional<ColumnInfo> n = now.stream().filter(c -> c.outputName().equals(b.outputName())).findFirst();
            if (n.isEmpty()) {
                changes.add("column \"" + b.outputName() + "\" dropped or renamed");
            } else if (n.get().kind() != b.kind() || !String.valueOf(n.get().typeName())
                    .equalsIgnoreCase(String.valueOf(b.typeName()))) {
                changes.add("column \"" + b.outputName() + "\" changed type from " + b.typeName() + " to "
                        + n.get().typeName());
            }
        }
        for (ColumnInfo n : now) {
            if (before.stream().noneMatch(c -> c.outputName().equals(n.outputName()))) {
                changes.add("column \"" + n.outputName() + "\" added" + (n.nullable() ? "" : " NOT NULL"));
            }
        }
        if (changes.isEmpty()) {
            changes.add("columns reordered");
        }
        return String.join(", ", changes);
    }
}
