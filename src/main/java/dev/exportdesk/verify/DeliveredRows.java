package dev.exportdesk.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Reads the rows of a delivered chunk back, one record at a time, with each record's exact bytes
 * (so its SHA-256 is the one the row digest used) and its ordering tuple and key as canonical
 * values. JSON Lines records end at LF; CSV records at an LF outside quotes (in the chunk's dialect),
 * after the header when there is one.
 */
final class DeliveredRows implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final InputStream in;
    private final FileFormat format;
    private final SourceSchema schema;
    private final List<String> names;
    private final RowBuffer record = new RowBuffer();
    private final MessageDigest md = Hashing.sha256();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long position;

    /** One delivered row: its position in the chunk, ordering tuple, key, SHA-256 and whether it is a delete. */
    record Row(long position, Object[] tuple, Object[] key, byte[] sha256, boolean delete) {
    }

    private static final byte[] JSONL_DELETE = "\"_op\":\"delete\"}\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] deleteSuffix;

    DeliveredRows(InputStream content, FileFormat format, SourceSchema schema) throws IOException {
        this.in = content;
        this.format = format;
        this.schema = schema;
        this.names = schema.columns().stream().map(ColumnInfo::outputName).toList();
        this.deleteSuffix = format.isCsv() ? (format.dialect().delimiter() + "delete"
                + format.dialect().lineEnding().text()).getBytes(StandardCharsets.UTF_8) : JSONL_DELETE;
        if (format.isCsv() && format.dialect().header()) {
            nextRecord(); // header
        }
    }

    /** Skips a record without parsing it; false at the end. */
    boolean skip() throws IOException {
        boolean ok = nextRecord(false);
        if (ok) {
            position++;
        }
        return ok;
    }

    /** The next row, or null at the end. {@code parse} false gives only its hash (tuple and key null). */
    Row next(boolean parse) throws IOException {
        if (!nextRecord()) {
            return null;
        }
        md.update(record.array(), 0, record.length());
        byte[] sha = md.digest();
        Object[] values = parse ? values(record.toByteArray()) : null;
        Row row = new Row(position++, values == null ? null : pick(values, schema.orderIndexes()),
                values == null ? null : pick(values, schema.keyIndexes()), sha, endsWith(deleteSuffix));
        return row;
    }

    /** Reads the next record into {@code record} (or past it when {@code keep} is false). */
    private boolean nextRecord() throws IOException {
        return nextRecord(true);
    }

    private boolean nextRecord(boolean keep) throws IOException {
        record.reset();
        RecordCounter.RecordEnds ends = format.isCsv() ? new RecordCounter.RecordEnds(format.dialect()) : null;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        throw new IOException("the chunk ends inside a record (truncated?)");
                    }
                    return false;
                }
            }
            int start = pos;
            while (pos < limit) {
                byte b = buf[pos++];
                any = true;
                if (ends == null ? b == '\n' : ends.endsRecord(b)) {
                    if (keep) {
                        record.write(buf, start, pos - start);
                    }
                    return true;
                }
            }
            if (keep) {
                record.write(buf, start, pos - start);
            }
        }
    }

    private Object[] values(byte[] bytes) throws IOException {
        Object[] out = new Object[names.size()];
        if (!format.isCsv()) {
            JsonNode n = MAPPER.readTree(bytes);
            for (int i = 0; i < out.length; i++) {
                out[i] = CursorCodec.scalar(n.get(names.get(i)));
            }
            return out;
        }
        List<String> fields = csvFields(new String(bytes, StandardCharsets.UTF_8), format);
        for (int i = 0; i < out.length; i++) {
            String f = fields.get(i);
            out[i] = f == null ? null : typed(f, schema.columns().get(i).kind());
        }
        return out;
    }

    private static Object typed(String text, ValueKind kind) {
        return switch (kind) {
            case INTEGER -> Long.parseLong(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            case FLOAT -> text.equals("NaN") || text.endsWith("Infinity") ? text : (Object) Double.parseDouble(text);
            default -> text;
        };
    }

    /** The fields of one record in the chunk's dialect; an unquoted NULL spelling is NULL. */
    static List<String> csvFields(String rec, FileFormat format) {
        String ending = format.dialect().lineEnding().text();
        return format.dialect().fields(rec.endsWith(ending) ? rec.substring(0, rec.length() - ending.length()) : rec);
    }

    /** {@code _op} is the record's last field, so its value is known from the record's last bytes. */
    private boolean endsWith(byte[] suffix) {
        int n = record.length();
        if (n < suffix.length) {
            return false;
        }
        byte[] a = record.array();
        for (int i = 0; i < suffix.length; i++) {
            if (a[n - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Object[] pick(Object[] values, int[] idx) {
        Object[] out = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
