package dev.exportdesk.chunk;

import dev.exportdesk.chunk.parquet.ParquetSink;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.source.ColumnInfo;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one chunk file in staging: encoded rows → content hash → compression, or the Parquet writer
 * → (OpenPGP encryption, when the contract asks for it) → file hash → disk.
 * {@link #seal()} flushes, fsyncs and returns the hashes; until then the file is scratch that a
 * crash may leave behind and a resume overwrites.
 */
public final class ChunkWriter implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final CountingDigestStream fileStream;
    private final OutputStream compressor;
    private final CountingDigestStream contentStream;
    private final OutputStream buffered;
    private long rows;
    private long deletes;
    private long contentBytes;
    private boolean closed;

    public ChunkWriter(Path file, Compression compression, int level, byte[] header) throws IOException {
        this(file, compression, level, header, null);
    }

    /** {@code cipher} null: the chunk is not encrypted. */
    public ChunkWriter(Path file, Compression compression, int level, byte[] header, ChunkCipher cipher)
            throws IOException {
        this(file, header, cipher, out -> Codecs.compress(out, compression, level));
    }

    /**
     * A chunk of {@code contract}'s rows as {@code mask} delivers them: compressed JSON Lines or CSV,
     * or a Parquet file (which compresses its pages itself) typed by the delivered columns.
     */
    public ChunkWriter(Path file, Contract contract, RowMask mask, byte[] header, ChunkCipher cipher)
            throws IOException {
        this(file, header, cipher, contract.format() != OutputFormat.PARQUET
                ? out -> Codecs.compress(out, contract.compression(), contract.compressionLevel())
                : out -> new ParquetSink(out, mask.names(),
                        mask.delivered().columns().stream().map(ColumnInfo::kind).toList(), contract.compression(),
                        contract.compressionLevel(), contract.parquet()));
    }

    /** What turns the content (the encoded rows) into the file's plaintext. */
    private interface Body {
        OutputStream open(OutputStream plaintext) throws IOException;
    }

    private ChunkWriter(Path file, byte[] header, ChunkCipher cipher, Body body) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        // The channel stays open past the stream stack's close: sealing must fsync after the
        // compressor has written its trailer.
        OutputStream toChannel = new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        this.fileStream = new CountingDigestStream(new BufferedOutputStream(toChannel, 1 << 16));
        this.compressor = body.open(cipher == null ? fileStream : cipher.encrypting(fileStream));
        this.contentStream = new CountingDigestStream(compressor);
        this.buffered = new BufferedOutputStream(contentStream, 1 << 16);
        buffered.write(header);
        contentBytes = header.length;
    }

    /** Appends the line at {@code b[offset, offset + length)}. */
    public void append(byte[] b, int offset, int length, boolean delete) throws IOException {
        buffered.write(b, offset, length);
        contentBytes += length;
        rows++;
        if (delete) {
            deletes++;
        }
    }

    public void append(RowBuffer row, boolean delete) throws IOException {
        row.writeTo(buffered);
        contentBytes += row.length();
        rows++;
        if (delete) {
            deletes++;
        }
    }

    public long rows() {
        return rows;
    }

    /** Uncompressed bytes so far (header included): what the chunk's byte limit counts. */
    public long contentBytes() {
        return contentBytes;
    }

    public SealedChunk seal() throws IOException {
        buffered.flush();
        buffered.close();
        fileStream.flush(); // an OpenPGP message ends without closing the stream it was written to
        closed = true;
        channel.force(true);
        channel.close();
        return new SealedChunk(file, rows, deletes, fileStream.count(), contentStream.count(), fileStream.sha256(),
                contentStream.sha256());
    }

    /** Closes without sealing and deletes the scratch file. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                buffered.close();
            } finally {
                channel.close();
                Files.deleteIfExists(file);
            }
        }
    }
}
