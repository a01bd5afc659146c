package dev.exportdesk.verify;

import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SourceSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a delivered chunk holds for a few keys: streams the chunk once (memory grows with the keys
 * asked for, not with the chunk) and reports each wanted key's record hash and operation.
 */
public final class DeliveredKeys {
    private static final HexFormat HEX = HexFormat.of();

    private DeliveredKeys() {
    }

    /** One delivered record of a key: the SHA-256 of its bytes and whether it is a delete. */
    public record Found(String key, String sha256, boolean delete) {
    }

    /** The records of {@code wanted} keys (state-store key text, e.g. {@code [42]}) in the chunk, last one wins. */
    public static Map<String, Found> find(InputStream content, FileFormat format, SourceSchema schema,
                                          Set<String> wanted) throws IOException {
        Map<String, Found> out = new HashMap<>();
        each(content, format, schema, f -> {
            if (wanted.contains(f.key())) {
                out.put(f.key(), f);
            }
        });
        return out;
    }

    /** Every record of the chunk, in file order. */
    public static void each(InputStream content, FileFormat format, SourceSchema schema, Consumer<Found> sink)
            throws IOException {
        try (DeliveredRows rows = new DeliveredRows(content, format, schema)) {
            for (DeliveredRows.Row r = rows.next(true); r != null; r = rows.next(true)) {
                sink.accept(new Found(CursorCodec.encode(r.key()), HEX.formatHex(r.sha256()), r.delete()));
            }
        }
    }
}
