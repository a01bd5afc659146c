package dev.exportdesk.chunk;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.exportdesk.source.CapturedRow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One JSON object per line: the exported columns in contract order, then {@code "_op"}. UTF-8,
 * non-ASCII characters written as they are, no insignificant white space, LF line ends.
 */
final class JsonLinesEncoder implements RowEncoder {
    // Characters beyond U+FFFF go out as 4-byte UTF-8, not as \uD83D\uDE00 escape pairs.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build()
            .setRootValueSeparator(null);
    private final SerializedString[] names;
    private final SerializedString op = new SerializedString("_op");
    private final Forwarding sink = new Forwarding();
    private final JsonGenerator generator;

    JsonLinesEncoder(List<String> columnNames) {
        this.names = columnNames.stream().map(SerializedString::new).toArray(SerializedString[]::new);
        try {
            // One generator for the chunk's life, flushed per row into the caller's buffer.
            this.generator = FACTORY.createGenerator(sink, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] header() {
        return new byte[0];
    }

    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        sink.target = out;
        JsonGenerator g = generator;
        try {
            g.writeStartObject();
            Object[] values = row.values();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                write(g, values[i]);
            }
            g.writeFieldName(op);
            g.writeString(RowEncoder.op(row));
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    /** Lets one long-lived generator write into whichever buffer the current row goes to. */
    private static final class Forwarding extends OutputStream {
        private RowBuffer target;

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target.write(b, off, len);
        }
    }
}
