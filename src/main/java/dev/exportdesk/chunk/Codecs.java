package dev.exportdesk.chunk;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.exportdesk.chunk.parquet.ParquetContent;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.fs.Scratch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/** Compression streams for chunk files. Output is deterministic for a given input and level. */
public final class Codecs {
    private Codecs() {
    }

    public static OutputStream compress(OutputStream out, Compression compression, int level) throws IOException {
        return switch (compression) {
            case NONE -> out;
            case GZIP -> new ParallelGzipOutputStream(out, level == 0 ? Deflater.DEFAULT_COMPRESSION : level);
            case ZSTD -> new ZstdOutputStream(out, level);
        };
    }

    /**
     * A delivered chunk's content (what {@code content_sha256} covers and records are counted in):
     * the decompressed bytes, or for Parquet the canonical JSON Lines of its rows.
     */
    public static InputStream content(InputStream in, OutputFormat format, Compression compression, Scratch scratch)
            throws IOException {
        return content(in, format, compression, ParquetContent.MAX_FILE_BYTES, scratch);
    }

    /**
     * As above, for a file whose length should be at most {@code maxFileBytes} (its manifest's
     * record); a Parquet file is read back through {@code scratch}.
     */
    public static InputStream content(InputStream in, OutputFormat format, Compression compression, long maxFileBytes,
                                      Scratch scratch) throws IOException {
        return format == OutputFormat.PARQUET ? ParquetContent.jsonLines(in, maxFileBytes, scratch)
                : decompress(in, compression);
    }

    public static InputStream decompress(InputStream in, Compression compression) throws IOException {
        return switch (compression) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
