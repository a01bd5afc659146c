package dev.exportdesk.chunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A reusable byte buffer holding one encoded row; exposes its array to avoid a copy per row. */
public final class RowBuffer extends ByteArrayOutputStream {
    public RowBuffer() {
        super(512);
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return count;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }
}
