package dev.exportdesk.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * Cursor tuples and single bound values as the JSON text kept in the state store and manifests,
 * e.g. {@code ["2024-05-01T10:15:30.000000Z",42]}.
 */
public final class CursorCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CursorCodec() {
    }

    public static String encode(Object[] tuple) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Object v : tuple) {
            array.add(MAPPER.valueToTree(v));
        }
        return array.toString();
    }

    public static String encodeValue(Object value) {
        return MAPPER.valueToTree(value).toString();
    }

    public static Object[] decode(String text) {
        JsonNode node = readTree(text);
        Object[] out = new Object[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scalar(node.get(i));
        }
        return out;
    }

    public static Object decodeValue(String text) {
        return scalar(readTree(text));
    }

    /** Canonical tuple → JDBC parameters of the ordering columns' types. */
    public static Object[] toParameters(Object[] tuple, List<ColumnInfo> orderColumns) {
        Object[] out = new Object[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = CanonicalValues.toParameter(tuple[i], orderColumns.get(i).kind());
        }
        return out;
    }

    private static JsonNode readTree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("corrupt cursor value in state store: " + text, e);
        }
    }

    /** A JSON scalar as the canonical Java value the source layer produces (see {@link CanonicalValues}). */
    public static Object scalar(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        return n.toString();
    }
}
