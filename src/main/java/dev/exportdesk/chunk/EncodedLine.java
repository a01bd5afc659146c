package dev.exportdesk.chunk;

import dev.exportdesk.source.CapturedRow;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A row as delivered: its encoded line (terminator included) and the line's SHA-256, which feeds
 * the chunk's row digest and the lookback index alike.
 */
public record EncodedLine(byte[] bytes, byte[] sha256) {

    /**
     * Encodes and hashes rows one after another; not thread-safe, one per scan. It runs on the
     * read-ahead thread, so the thread that compresses and writes chunks does not also encode.
     */
    public static Function<CapturedRow, EncodedLine> encoder(RowEncoder encoder) {
        RowBuffer buffer = new RowBuffer();
        MessageDigest sha = Hashing.sha256();
        return row -> {
            encoder.encode(row, buffer);
            sha.update(buffer.array(), 0, buffer.length());
            return new EncodedLine(Arrays.copyOf(buffer.array(), buffer.length()), sha.digest());
        };
    }
}
