package dev.exportdesk.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The audit log's before/after JSON of the administrators' alert settings (never a secret value). */
final class AdminAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminAudit() {
    }

    static String json(String... pairs) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node.toString();
    }
}
