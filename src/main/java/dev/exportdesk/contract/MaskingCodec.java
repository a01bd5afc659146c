package dev.exportdesk.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.text.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contract's {@code masking} object and {@code row_filter} array (docs/contracts.md, "Masking
 * and row filters"). What needs no source is checked here: transform names, {@code truncate(n)},
 * that key and cursor columns take only deterministic transforms, that masked and filtered columns
 * are exported, operators and their literals. Column existence and types are checked against the
 * source at import ({@code source.MaskingCheck}); the key's secret against the vault.
 */
final class MaskingCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET_HINT = "must be the name of a secret in the vault bound to this partner's "
            + "masking scope (exportdesk secret set NAME --scope masking:PARTNER)";

    private MaskingCodec() {
    }

    static MaskingPolicy read(JsonFields f, List<String> keys, List<String> cursor, List<String> columns) {
        Map<String, ColumnMask> masks = new LinkedHashMap<>();
        String secret = null;
        JsonFields m = f.object("masking", false);
        if (m != null) {
            m.rejectUnknown(Set.of("columns", "hmac_secret"));
            secret = m.string("hmac_secret", false, ContractCodec.SAFE_NAME, SECRET_HINT, ContractCodec.MAX_NAME);
            masks = columns(m, keys, cursor, columns);
            boolean keyed = masks.values().stream().anyMatch(c -> c.kind() == ColumnMask.Kind.HMAC_SHA256);
            if (keyed && !m.has("hmac_secret")) {
                m.error("hmac_secret", "is required: hmac_sha256 is keyed by this partner's own secret, so two "
                        + "partners' pseudonyms cannot be joined");
            } else if (!keyed && secret != null) {
                m.error("hmac_secret", "no column takes hmac_sha256; remove the secret or use it");
            }
        }
        RowFilter filter = filter(f, columns);
        return masks.isEmpty() && filter.isEmpty() && secret == null ? MaskingPolicy.NONE
                : new MaskingPolicy(masks, secret, filter);
    }

    private static Map<String, ColumnMask> columns(JsonFields m, List<String> keys, List<String> cursor,
                                                   List<String> columns) {
        Map<String, ColumnMask> out = new LinkedHashMap<>();
        JsonNode node = m.raw("columns");
        if (node == null || !node.isObject() || node.isEmpty()) {
            m.error("columns", "must be an object naming each masked column's transform, e.g. {\"email\": "
                    + "\"hmac_sha256\"}");
            return out;
        }
        if (node.size() > JsonFields.MAX_LIST) {
            m.error("columns", "names " + node.size() + " columns; the limit is " + JsonFields.MAX_LIST);
            return out;
        }
        JsonFields c = m.child(node, "columns");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String column = e.getKey();
            String field = JsonFields.quote(column);
            if (column.isBlank() || column.length() > JsonFields.MAX_IDENTIFIER
                    || Text.firstUnsafe(column, false) != null) {
                c.error(field, "must be an exported column's name (1-" + JsonFields.MAX_IDENTIFIER
                        + " printable characters)");
                continue;
            }
            if (!e.getValue().isTextual()) {
                c.error(field, "must be a transform name such as \"hmac_sha256\" or \"truncate(4)\"");
                continue;
            }
            String text = e.getValue().asText();
            String[] problem = new String[1];
            Optional<ColumnMask> mask = ColumnMask.parse(text, problem);
            if (mask.isEmpty()) {
                c.error(field, problem[0]);
                continue;
            }
            String role = keys != null && keys.contains(column) ? "key" : cursor != null && cursor.contains(column)
                    ? "cursor" : null;
            if (role != null && !mask.get().deterministic()) {
                c.error(field, "\"" + field + "\" is a " + role + " column: it may only take a deterministic "
                        + "transform (hmac_sha256 or sha256), not " + mask.get().text());
                continue;
            }
            if (columns != null && !columns.contains(column)) {
                c.error(field, "column \"" + field + "\" is not exported; list it in \"columns\" (masking applies to "
                        + "exported columns)");
                continue;
            }
            out.put(column, mask.get());
        }
        return out;
    }

    private static RowFilter filter(JsonFields f, List<String> columns) {
        JsonNode node = f.raw("row_filter");
        if (node == null) {
            return RowFilter.NONE;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > RowFilter.MAX_TERMS) {
            f.error("row_filter", "must be an array of 1 to " + RowFilter.MAX_TERMS + " conditions "
                    + "{\"column\", \"operator\", \"value\"/\"values\"}, all of which must hold");
            return RowFilter.NONE;
        }
        List<RowFilter.Term> terms = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                f.error("row_filter", i, "must be an object {\"column\", \"operator\", \"value\"/\"values\"}");
                continue;
            }
            term(f.child(item, "row_filter[" + i + "]"), columns).ifPresent(terms::add);
        }
        return terms.size() == node.size() ? new RowFilter(terms) : RowFilter.NONE;
    }

    private static Optional<RowFilter.Term> term(JsonFields t, List<String> columns) {
        t.rejectUnknown(Set.of("column", "operator", "value", "values"));
        String column = t.string("column", true, null, null, JsonFields.MAX_IDENTIFIER);
        if (!t.has("operator")) {
            t.error("operator", "is required");
            return Optional.empty();
        }
        RowFilter.Operator op = t.choice("operator", RowFilter.Operator.class, null, RowFilter.Operator::jsonName);
        if (column == null || op == null) {
            return Optional.empty();
        }
        if (columns != null && !columns.contains(column)) {
            t.error("column", "column \"" + JsonFields.quote(column) + "\" is not exported; a filter reads the "
                    + "captured row, so list it in \"columns\" (and mask it with \"drop\" to keep it from the partner)");
            return Optional.empty();
        }
        List<Object> values = new ArrayList<>();
        boolean ok = switch (op.arity()) {
            case 0 -> none(t, op);
            case 1 -> one(t, op, values);
            default -> several(t, op, values);
        };
        return ok ? Optional.of(new RowFilter.Term(column, op, values)) : Optional.empty();
    }

    private static boolean none(JsonFields t, RowFilter.Operator op) {
        for (String field : List.of("value", "values")) {
            if (t.has(field)) {
                t.error(field, op.jsonName() + " takes no literal");
                return false;
            }
        }
        return true;
    }

    private static boolean one(JsonFields t, RowFilter.Operator op, List<Object> out) {
        if (t.has("values") || !t.has("value")) {
            t.error("value", "is required: " + op.jsonName() + " compares with one literal (\"value\"; a list "
                    + "goes with in/not_in)");
            return false;
        }
        return literal(t, "value", t.raw("value"), out);
    }

    private static boolean several(JsonFields t, RowFilter.Operator op, List<Object> out) {
        JsonNode list = t.raw("values");
        if (t.has("value") || list == null || !list.isArray() || list.isEmpty() || list.size() > RowFilter.MAX_VALUES) {
            t.error("values", "is required: " + op.jsonName() + " takes an array of 1 to " + RowFilter.MAX_VALUES
                    + " literals");
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ok &= literal(t, "values[" + i + "]", list.get(i), out);
        }
        return ok;
    }

    /** A string, number or boolean: data to compare with, never text for SQL. */
    private static boolean literal(JsonFields t, String field, JsonNode v, List<Object> out) {
        if (v.isTextual() && v.asText().length() <= JsonFields.MAX_STRING) {
            out.add(v.asText());
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            out.add(v.asLong());
        } else if (v.isNumber() && !v.isIntegralNumber()) {
            out.add(v.decimalValue());
        } else if (v.isBoolean()) {
            out.add(v.asBoolean());
        } else {
            t.error(field, "must be a string (at most " + JsonFields.MAX_STRING + " characters), a number or true/false");
            return false;
        }
        return true;
    }

    static void write(ObjectNode root, MaskingPolicy policy) {
        if (!policy.columns().isEmpty()) {
            ObjectNode m = root.putObject("masking");
            if (policy.hmacSecret() != null) {
                m.put("hmac_secret", policy.hmacSecret());
            }
            ObjectNode columns = m.putObject("columns");
            policy.columns().forEach((name, mask) -> columns.put(name, mask.text()));
        }
        if (!policy.rowFilter().isEmpty()) {
            ArrayNode terms = root.putArray("row_filter");
            for (RowFilter.Term term : policy.rowFilter().terms()) {
                ObjectNode t = terms.addObject();
                t.put("column", term.column());
                t.put("operator", term.operator().jsonName());
                if (term.operator().arity() == 1) {
                    t.set("value", json(term.values().get(0)));
                } else if (term.operator().arity() < 0) {
                    ArrayNode values = t.putArray("values");
                    term.values().forEach(v -> values.add(json(v)));
                }
            }
        }
    }

    private static JsonNode json(Object v) {
        return v instanceof Long l ? MAPPER.getNodeFactory().numberNode(l)
                : v instanceof BigDecimal d ? MAPPER.getNodeFactory().numberNode(d)
                : v instanceof Boolean b ? MAPPER.getNodeFactory().booleanNode(b)
                : MAPPER.getNodeFactory().textNode((String) v);
    }

    /** The policy as the compact JSON its fingerprint is taken over. */
    static String canonical(MaskingPolicy policy) {
        ObjectNode root = MAPPER.createObjectNode();
        write(root, policy);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the masking policy", e);
        }
    }
}
