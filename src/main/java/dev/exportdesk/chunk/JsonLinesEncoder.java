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
    /** {@code {"first":}, {@code ,"second":}, … as bytes; null when a name is not plain text. */
    private final byte[][] prefixes;
    private final byte[] upsertEnd = ascii(",\"_op\":\"upsert\"}\n");
    private final byte[] deleteEnd = ascii(",\"_op\":\"delete\"}\n");

    JsonLinesEncoder(List<String> columnNames) {
        this.names = columnNames.stream().map(SerializedString::new).toArray(SerializedString[]::new);
        this.prefixes = prefixes(columnNames);
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

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[][] prefixes(List<String> columnNames) {
        byte[][] out = new byte[columnNames.size()][];
        RowBuffer b = new RowBuffer();
        for (int i = 0; i < out.length; i++) {
            b.reset();
            b.write(i == 0 ? '{' : ',');
            if (!JsonText.appendString(b, columnNames.get(i))) {
                return null;
            }
            b.write(':');
            out[i] = b.toByteArray();
        }
        return out.length == 0 ? null : out;
    }

    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        if (prefixes != null && encodeByHand(row, out)) {
            return;
        }
        out.reset();
        encodeWithJackson(row, out);
    }

    /**
     * The row's line written directly (issue 14: Jackson's generator was the largest cost of
     * encoding); false, for Jackson to write the row, when a value is one whose text this does not
     * reproduce by itself (a lone surrogate, a non-finite or any floating-point number).
     */
    private boolean encodeByHand(CapturedRow row, RowBuffer out) {
        Object[] values = row.values();
        for (int i = 0; i < prefixes.length; i++) {
            out.append(prefixes[i]);
            Object v = values[i];
            if (v == null) {
                out.appendAscii("null");
            } else if (v instanceof Long l) {
                out.appendLong(l);
            } else if (v instanceof Boolean b) {
                out.appendAscii(b ? "true" : "false");
            } else if (v instanceof Double) {
                return false;
            } else if (row.plain(i) && v instanceof String s) {
                JsonText.appendPlain(out, s);
            } else if (!JsonText.appendString(out, v.toString())) {
                return false;
            }
        }
        out.append(row.delete() ? deleteEnd : upsertEnd);
        return true;
    }

    void encodeWithJackson(CapturedRow row, RowBuffer out) {
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
