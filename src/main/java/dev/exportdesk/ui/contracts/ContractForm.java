package dev.exportdesk.ui.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The editor's fields and the contract JSON they map to. Fields the form does not show (retry,
 * late data, chunk limits…) are kept from the loaded JSON, so editing never drops them. Pure
 * Java, no toolkit.
 */
public final class ContractForm {
    /** Form field → JSON path, in display order. Errors are routed to the field whose path prefixes theirs. */
    public enum Field {
        NAME("$.name"), PARTNER("$.partner"), DESCRIPTION("$.description"), SOURCE("$.source"), TABLE("$.table"),
        KEY_COLUMNS("$.key_columns"), CURSOR_COLUMNS("$.cursor_columns"), COLUMNS("$.columns"),
        FORMAT("$.format"), COMPRESSION("$.compression"), DESTINATION("$.destination"),
        DESTINATION_PATH("$.destination.path"),
        SCHEDULE("$.schedule.interval"), SCHEDULE_CRON("$.schedule.cron"), SCHEDULE_ZONE("$.schedule.zone"),
        MAX_LAG("$.slo.max_delivery_lag"),
        // what partners dictate, rarely set: below the everyday fields, so those keep their places
        PATH_TEMPLATE("$.destination.path_template"), CSV_DELIMITER("$.csv.delimiter"), CSV_HEADER("$.csv.header"),
        CSV_LINE_ENDING("$.csv.line_ending"), CSV_QUOTE("$.csv.quote"), CSV_ESCAPE("$.csv.escape"),
        CSV_NULL("$.csv.null");

        private final String path;

        Field(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        /** The field an engine error path belongs to, or null when no field shows it. */
        public static Field forPath(String errorPath) {
            Field best = null;
            for (Field f : values()) {
                // the named destination's field says only what is wrong with the name, not an inline object's fields
                boolean match = errorPath.equals(f.path) || f != DESTINATION && (errorPath.startsWith(f.path + ".")
                        || errorPath.startsWith(f.path + "["));
                if (match && (best == null || f.path.length() > best.path.length())) {
                    best = f;
                }
            }
            if (best == null && errorPath.equals("$.query")) {
                return TABLE;
            }
            if (errorPath.equals("$.destination.name")) {
                return DESTINATION; // {"name": …, "path_template": …}
            }
            // the dialect object itself has no field of its own: its errors show under the first CSV field
            if (best == null && (errorPath.equals("$.csv") || errorPath.startsWith("$.csv."))) {
                return CSV_DELIMITER;
            }
            return best;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<Field> LISTS = List.of(Field.KEY_COLUMNS, Field.CURSOR_COLUMNS, Field.COLUMNS);

    private ContractForm() {
    }

    /** A new contract's starting point: the parts the form does not show, with sensible defaults. */
    public static String template() {
        return """
                {
                  "format": "jsonl",
                  "compression": "zstd",
                  "destination": {"type": "folder"},
                  "late_data": {"safety_lag": "2s", "lookback": "15m"},
                  "slo": {"max_delivery_lag": "1h"}
                }
                """;
    }

    /** Reads the form fields out of contract JSON (empty strings for absent ones). */
    public static Map<Field, String> read(String json) {
        ObjectNode root = parse(json);
        Map<Field, String> out = new java.util.EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            JsonNode node = at(root, f.path);
            if (node == null || node.isNull()) {
                out.put(f, "");
            } else if (f == Field.DESTINATION && !node.isTextual()) {
                // {"name": …, "path_template": …}: named, with a template; otherwise an inline destination,
                // which the folder field (or the JSON) shows
                out.put(f, node.path("name").asText(""));
            } else if (f == Field.SOURCE && node.isObject()) {
                // a version written before named connections: the connection carries its name
                out.put(f, node.path("name").asText());
            } else if (node.isArray()) {
                out.put(f, String.join(", ", toList(node)));
            } else {
                out.put(f, node.asText());
            }
        }
        return out;
    }

    /** Writes the fields over {@code baseJson}; blank fields remove their key. */
    public static String write(String baseJson, Map<Field, String> values) {
        ObjectNode root = parse(baseJson);
        String named = values.getOrDefault(Field.DESTINATION, "").trim();
        String template = values.getOrDefault(Field.PATH_TEMPLATE, "").trim();
        if (!named.isEmpty() && template.isEmpty()) {
            root.put("destination", named);
        } else if (!named.isEmpty()) {
            // a named destination with this contract's own run folder template
            root.putObject("destination").put("name", named);
        } else if (root.path("destination").isTextual() || root.path("destination").has("name")) {
            root.putObject("destination").put("type", "folder");
        }
        for (Field f : Field.values()) {
            boolean plainName = !named.isEmpty() && template.isEmpty(); // "destination": "NAME", no object
            if (f == Field.DESTINATION || f == Field.DESTINATION_PATH && !named.isEmpty()
                    || f == Field.PATH_TEMPLATE && plainName) {
                continue;
            }
            String v = values.getOrDefault(f, "").trim();
            String[] parts = f.path.substring(2).split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                if (!(child instanceof ObjectNode)) {
                    child = parent.putObject(parts[i]);
                }
                parent = (ObjectNode) child;
            }
            String key = parts[parts.length - 1];
            if (v.isEmpty()) {
                parent.remove(key);
            } else if (f == Field.CSV_HEADER && (v.equals("true") || v.equals("false"))) {
                parent.put(key, Boolean.parseBoolean(v));
            } else if (LISTS.contains(f)) {
                ArrayNode array = parent.putArray(key);
                Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(array::add);
            } else {
                parent.put(key, v);
            }
        }
        for (String optional : List.of("schedule", "csv")) {
            if (root.get(optional) instanceof ObjectNode o && o.isEmpty()) {
                root.remove(optional);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            return n instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static JsonNode at(ObjectNode root, String path) {
        JsonNode n = root;
        for (String part : path.substring(2).split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
