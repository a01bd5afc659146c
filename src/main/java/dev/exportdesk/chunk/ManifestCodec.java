package dev.exportdesk.chunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.CsvDialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Manifest JSON: fixed field order, two-space indent, UTF-8, final newline — one text per manifest. */
public final class ManifestCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestCodec() {
    }

    public static byte[] write(Manifest m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", m.format());
        root.put("contract", m.contract());
        root.put("contract_version", m.contractVersion());
        root.put("partner", m.partner());
        root.put("run_id", m.runId());
        root.put("sequence", m.sequence());
        root.put("mode", m.mode());
        root.put("created_at", m.createdAt());
        root.put("previous_manifest_sha256", m.previousManifestSha256());
        root.set("upper_bound", m.upperBound());
        root.put("file_format", m.fileFormat());
        root.put("compression", m.compression());
        if (m.encryption() != null) { // absent otherwise, so unencrypted manifests keep their bytes
            root.put("encryption", m.encryption());
        }
        if (m.maskingPolicySha256() != null) { // likewise: absent without a masking policy
            root.put("masking_policy_sha256", m.maskingPolicySha256());
        }
        if (m.schemaChange() != null) { // likewise: only in the first manifest after the columns grew
            m.schemaChange().write(root.putObject("schema_change"));
        }
        if (m.csv() != null && !m.csv().isDefault()) { // likewise: absent in the default dialect
            m.csv().write(root.putObject("csv"));
        }
        if (m.runDirectory() != null) { // likewise: absent under the default layout
            root.put("run_directory", m.runDirectory());
        }
        if (m.resendFrom() != null) { // likewise: only in a re-send's manifest
            root.set("resend_from", m.resendFrom());
        }
        strings(root.putArray("columns"), m.columns());
        strings(root.putArray("key_columns"), m.keyColumns());
        strings(root.putArray("cursor_columns"), m.cursorColumns());
        root.put("rows", m.rows());
        ArrayNode chunks = root.putArray("chunks");
        for (ChunkEntry c : m.chunks()) {
            ObjectNode n = chunks.addObject();
            n.put("file", c.file());
            n.put("rows", c.rows());
            n.put("deletes", c.deletes());
            n.put("bytes", c.bytes());
            n.put("sha256", c.sha256());
            n.put("content_sha256", c.contentSha256());
            n.set("cursor_from", c.cursorFrom());
            n.set("cursor_to", c.cursorTo());
            n.put("schema_fingerprint", c.schemaFingerprint());
            if (c.corrects() != null) { // absent otherwise, so manifests without corrections keep their bytes
                ObjectNode x = n.putObject("corrects");
                x.put("run_id", c.corrects().runId());
                x.put("sequence", c.corrects().sequence());
                x.put("chunk", c.corrects().chunk());
            }
            if (c.truncateFirst()) { // likewise: only on a chunk that begins with a TRUNCATE
                n.put("truncate_first", true);
            }
        }
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write manifest", e);
        }
    }

    /** Parses a manifest; throws {@link IOException} naming the field that is missing or wrong. */
    public static Manifest read(byte[] bytes) throws IOException {
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new IOException("manifest is not a JSON object");
        }
        if (!Manifest.FORMAT.equals(text(root, "format"))) {
            throw new IOException("manifest format is " + root.get("format") + ", expected " + Manifest.FORMAT);
        }
        List<ChunkEntry> chunks = new ArrayList<>();
        JsonNode list = root.get("chunks");
        if (list == null || !list.isArray()) {
            throw new IOException("manifest field \"chunks\" is missing");
        }
        for (JsonNode n : list) {
            chunks.add(new ChunkEntry(text(n, "file"), number(n, "rows"), number(n, "deletes"), number(n, "bytes"),
                    text(n, "sha256"), text(n, "content_sha256"), n.get("cursor_from"), n.get("cursor_to"),
                    text(n, "schema_fingerprint"), corrects(n), truncateFirst(n)));
        }
        return new Manifest(text(root, "format"), text(root, "contract"), (int) number(root, "contract_version"),
                text(root, "partner"), text(root, "run_id"), number(root, "sequence"), text(root, "mode"),
                text(root, "created_at"), root.path("previous_manifest_sha256").isNull() ? null
                        : text(root, "previous_manifest_sha256"), root.get("upper_bound"),
                text(root, "file_format"), text(root, "compression"), stringList(root, "columns"),
                stringList(root, "key_columns"), stringList(root, "cursor_columns"), number(root, "rows"), chunks,
                root.has("encryption") ? text(root, "encryption") : null,
                root.has("masking_policy_sha256") ? text(root, "masking_policy_sha256") : null,
                root.has("schema_change") ? SchemaChangeNotice.read(root.get("schema_change")) : null,
                root.has("csv") ? readCsv(root.get("csv")) : null,
                root.has("run_directory") ? text(root, "run_directory") : null, resendFrom(root));
    }

    /** A scalar, as the cursor values of chunks are; anything else from a destination is refused. */
    private static JsonNode resendFrom(JsonNode root) throws IOException {
        JsonNode n = root.get("resend_from");
        if (n != null && !n.isValueNode()) {
            throw new IOException("manifest field resend_from must be a single value");
        }
        return n;
    }

    /** The dialect as written; the manifest is read back from a destination, so every field is checked. */
    private static CsvDialect readCsv(JsonNode c) throws IOException {
        if (!c.isObject()) {
            throw new IOException("manifest field \"csv\" is not an object");
        }
        JsonNode header = c.get("header");
        if (header == null || !header.isBoolean()) {
            throw new IOException("manifest field \"csv.header\" is missing or not true/false");
        }
        CsvDialect.LineEnding ending = null;
        for (CsvDialect.LineEnding e : CsvDialect.LineEnding.values()) {
            if (e.jsonName().equals(text(c, "line_ending"))) {
                ending = e;
            }
        }
        if (ending == null) {
            throw new IOException("manifest field \"csv.line_ending\" is not crlf or lf");
        }
        String nullText = text(c, "null");
        if (nullText.length() > 16 || nullText.contains("\n") || nullText.contains("\r")) {
            throw new IOException("manifest field \"csv.null\" is not a NULL spelling");
        }
        return new CsvDialect(character(c, "delimiter"), character(c, "quote"), character(c, "escape"),
                header.asBoolean(), ending, nullText);
    }

    private static char character(JsonNode c, String field) throws IOException {
        String s = text(c, field);
        if (s.length() != 1 || s.charAt(0) == '\r' || s.charAt(0) == '\n' || s.charAt(0) >= 0x80) {
            throw new IOException("manifest field \"csv." + field + "\" is not one ASCII character");
        }
        return s.charAt(0);
    }

    private static ChunkEntry.Corrects corrects(JsonNode chunk) throws IOException {
        JsonNode x = chunk.get("corrects");
        if (x == null || x.isNull()) {
            return null;
        }
        if (!x.isObject()) {
            throw new IOException("manifest field \"corrects\" of " + chunk.get("file") + " is not an object");
        }
        return new ChunkEntry.Corrects(text(x, "run_id"), number(x, "sequence"), text(x, "chunk"));
    }

    /** Absent means false; present, it must be the literal true (the writer never writes false). */
    private static boolean truncateFirst(JsonNode chunk) throws IOException {
        JsonNode v = chunk.get("truncate_first");
        if (v == null) {
            return false;
        }
        if (!v.isBoolean() || !v.booleanValue()) {
            throw new IOException("manifest field \"truncate_first\" of " + chunk.get("file") + " is not true");
        }
        return true;
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("manifest field \"" + field + "\" is missing or not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IOException("manifest field \"" + field + "\" is missing or not a whole number");
        }
        return v.asLong();
    }

    private static List<String> stringList(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IOException("manifest field \"" + field + "\" is missing or not an array");
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** Parses JSON text kept in the state store (cursor tuples, bounds) for embedding in a manifest. */
    public static JsonNode json(String text) {
        if (text == null) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }
}
