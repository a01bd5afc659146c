package dev.exportdesk.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The report as JSON ({@code "format": "exportdesk-report/1"}), field names in snake case. */
public final class JsonReport {
    /**
     * Everything outside ASCII is written as a \\u escape: values (source keys, partner text) stay
     * exact for programs, and a report shown in a terminal carries no escape sequence or bidi override.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static byte[] write(AuditReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "exportdesk-report/1");
        root.put("scope", r.scope());
        root.put("generated_at", r.generatedAt().toString());
        ArrayNode runs = root.putArray("runs");
        for (AuditReport.RunLine x : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("contract", x.contract());
            n.put("sequence", x.sequence());
            n.put("run_id", x.runId());
            n.put("state", x.state());
            n.put("rows", x.rows());
            n.put("chunks", x.chunks());
            n.put("manifest_sha256", x.manifestSha256());
            n.put("finished_at", text(x.finishedAt()));
            n.put("last_verification", x.lastVerification());
        }
        ArrayNode chunks = root.putArray("chunks");
        for (AuditReport.ChunkLine c : r.chunks()) {
            ObjectNode n = chunks.addObject();
            n.put("contract", c.contract());
            n.put("run", c.sequence());
            n.put("file", c.file());
            n.put("rows", c.rows());
            n.put("sha256", c.sha256());
            n.put("delivery", c.delivery());
            n.put("classification", c.classification());
            if (c.sourceRows() == null) {
                n.putNull("source_rows");
            } else {
                n.put("source_rows", c.sourceRows());
            }
            n.put("changed", c.changed());
            n.put("missing", c.missing());
            n.put("late", c.late());
            n.put("detail", c.detail());
            if (c.corrects() == null) {
                n.putNull("corrects");
            } else {
                lineage(n.putObject("corrects"), c.corrects());
            }
            ArrayNode by = n.putArray("corrected_by");
            c.correctedBy().forEach(l -> lineage(by.addObject(), l));
        }
        ArrayNode drift = root.putArray("drift_history");
        for (AuditReport.DriftPoint d : r.drift()) {
            ObjectNode n = drift.addObject();
            n.put("at", d.at().toString());
            n.put("contract", d.contract());
            n.put("run", d.sequence());
            n.put("level", d.level());
            n.put("rows_shipped", d.rowsShipped());
            n.put("rows_changed", d.changed());
            n.put("rows_missing", d.missing());
            n.put("late_arrivals", d.late());
            n.put("mismatched_chunks", d.mismatches());
        }
        ArrayNode keys = root.putArray("differing_keys");
        for (AuditReport.DriftKey k : r.keys()) {
            keys.addObject().put("run", k.sequence()).put("file", k.file()).put("key", k.key()).put("kind", k.kind());
        }
        if (r.checkpoint() == null) {
            root.putNull("checkpoint");
        } else {
            root.putObject("checkpoint").put("run_id", r.checkpoint().runId()).put("tree_size", r.checkpoint().treeSize())
                    .put("root_sha256", r.checkpoint().rootHex()).put("signed_note", r.checkpoint().note());
        }
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"run": 1, "run_id": "…", "chunk": 3, "file": "chunk-000003.jsonl.zst"} or with "state" for a correction. */
    private static void lineage(ObjectNode n, AuditReport.Lineage l) {
        n.put("run", l.sequence()).put("run_id", l.runId()).put("chunk", l.chunk());
        if (l.file() != null) {
            n.put("file", l.file());
        }
        if (l.state() != null) {
            n.put("state", l.state());
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
