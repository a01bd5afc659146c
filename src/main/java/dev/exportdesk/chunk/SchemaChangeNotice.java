package dev.exportdesk.chunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The partner's notice that the delivered columns grew (issue 16, schema-change policy
 * {@code additive}): the contract version and schema fingerprint the partner's copy had, the
 * fingerprint it has from this run on, and the columns added (appended to each record, and to the
 * CSV header, after the earlier ones). Recorded with the contract version the engine created, and
 * delivered as {@code schema_change} in the first manifest under it (docs/delivery-format.md).
 */
public record SchemaChangeNotice(int previousContractVersion, String previousSchemaFingerprint,
                                 String schemaFingerprint, List<Column> addedColumns) {
    public static final String POLICY = "additive";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An added column as the source declares it: its name and database type. */
    public record Column(String name, String type) {
    }

    public SchemaChangeNotice {
        addedColumns = List.copyOf(addedColumns);
    }

    /** One notice for several changes in a row (versions a partner's copy skipped): from the first's start to the last's end. */
    public static SchemaChangeNotice merge(List<SchemaChangeNotice> notices) {
        List<Column> added = new ArrayList<>();
        notices.forEach(n -> added.addAll(n.addedColumns()));
        SchemaChangeNotice first = notices.get(0);
        return new SchemaChangeNotice(first.previousContractVersion(), first.previousSchemaFingerprint(),
                notices.get(notices.size() - 1).schemaFingerprint(), added);
    }

    void write(ObjectNode n) {
        n.put("policy", POLICY);
        n.put("previous_contract_version", previousContractVersion);
        n.put("previous_schema_fingerprint", previousSchemaFingerprint);
        n.put("schema_fingerprint", schemaFingerprint);
        var columns = n.putArray("added_columns");
        addedColumns.forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
    }

    public String toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        write(n);
        return n.toString();
    }

    public static SchemaChangeNotice parse(String json) throws IOException {
        return read(MAPPER.readTree(json));
    }

    static SchemaChangeNotice read(JsonNode n) throws IOException {
        if (n == null || !n.isObject() || !POLICY.equals(n.path("policy").asText(null))
                || !n.path("previous_contract_version").isIntegralNumber()
                || !n.path("previous_schema_fingerprint").isTextual() || !n.path("schema_fingerprint").isTextual()
                || !n.path("added_columns").isArray()) {
            throw new IOException("schema_change is not a notice of added columns");
        }
        List<Column> added = new ArrayList<>();
        for (JsonNode c : n.get("added_columns")) {
            if (!c.path("name").isTextual() || !c.path("type").isTextual()) {
                throw new IOException("schema_change.added_columns: each column needs a name and a type");
            }
            added.add(new Column(c.get("name").asText(), c.get("type").asText()));
        }
        return new SchemaChangeNotice(n.get("previous_contract_version").asInt(),
                n.get("previous_schema_fingerprint").asText(), n.get("schema_fingerprint").asText(), added);
    }
}
