package dev.exportdesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.contract.Compression;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a partner would do with a drop folder: read every run's manifest in sequence order and apply
 * its JSON Lines records (upsert replaces, delete removes; a full export replaces the whole copy, a truncate-first
 * chunk empties it before its records). Also keeps every delivered record so
 * tests can look for duplicates.
 */
public final class Replay {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public final Map<String, JsonNode> table = new LinkedHashMap<>();
    public final List<JsonNode> delivered = new ArrayList<>();
    public final List<Manifest> manifests = new ArrayList<>();
    /** How many truncate-first chunks were applied. */
    public int truncates;

    /** How a delivered chunk file is opened: its compressed bytes (an encrypted one decrypted first). */
    @FunctionalInterface
    public interface ChunkOpener {
        InputStream open(Path chunk) throws IOException;
    }

    /** Each row's {@code version} by key: what the partner holds, to compare with {@code SourceDb.versions}. */
    public Map<String, Integer> versions() {
        Map<String, Integer> out = new HashMap<>();
        table.forEach((key, row) -> out.put(key, row.get("version").asInt()));
        return out;
    }

    public static Replay of(Path contractDir, String keyField) throws IOException {
        return of(contractDir, keyField, Files::newInputStream);
    }

    public static Replay of(Path contractDir, String keyField, ChunkOpener opener) throws IOException {
        Replay r = new Replay();
        if (!Files.isDirectory(contractDir)) {
            return r;
        }
        List<Path> runs;
        try (Stream<Path> s = Files.list(contractDir)) {
            runs = s.filter(p -> p.getFileName().toString().startsWith("run-")).sorted().toList();
        }
        for (Path run : runs) {
            Path manifestFile = run.resolve("manifest.json");
            if (!Files.exists(manifestFile)) {
                continue;
            }
            Manifest m = ManifestCodec.read(Files.readAllBytes(manifestFile));
            r.manifests.add(m);
            if ("full".equals(m.mode())) {
                r.table.clear();
            }
            Compression compression = Compression.valueOf(m.compression().toUpperCase(Locale.ROOT));
            for (ChunkEntry chunk : m.chunks()) {
                if (chunk.truncateFirst()) {
                    r.table.clear(); // the source truncated the table just before this chunk's changes
                    r.truncates++;
                }
                try (InputStream in = Codecs.decompress(opener.open(run.resolve(chunk.file())), compression);
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        JsonNode row = MAPPER.readTree(line);
                        r.delivered.add(row);
                        // H2 reports unquoted names in upper case; contracts that list no columns keep them
                        JsonNode keyNode = row.has(keyField) ? row.get(keyField)
                                : row.get(keyField.toUpperCase(Locale.ROOT));
                        String key = keyNode.asText();
                        if (row.get("_op").asText().equals("delete")) {
                            r.table.remove(key);
                        } else {
                            r.table.put(key, row);
                        }
                    }
                }
            }
        }
        return r;
    }
}
