package dev.exportdesk.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.AlertOutboxRepository;
import java.nio.charset.StandardCharsets;

/**
 * What an alert says, built from its outbox row only: names, the event, the episode and a fixed
 * summary. A run's error text is never included (it may quote source data), nor any secret.
 */
final class AlertBody {
    static final String FORMAT = "exportdesk-alert/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertBody() {
    }

    static byte[] json(AlertOutboxRepository.Row row) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("id", row.id());
        n.put("contract", row.contract());
        n.put("event", row.kind());
        n.put("episode", row.episode());
        n.put("summary", row.summary());
        n.put("raised_at", row.createdAt().toString());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String subject(AlertOutboxRepository.Row row) {
        return "ExportDesk alert: " + row.kind() + " - " + row.contract();
    }

    static String text(AlertOutboxRepository.Row row) {
        return row.summary() + "\n\n"
                + "contract: " + row.contract() + "\n"
                + "event:    " + row.kind() + "\n"
                + "episode:  " + row.episode() + "\n"
                + "raised:   " + row.createdAt() + "\n"
                + "alert id: " + row.id() + "\n\n"
                + "Details: `exportdesk status " + row.contract() + "` and `exportdesk alerts list` on the ExportDesk host.\n";
    }
}
