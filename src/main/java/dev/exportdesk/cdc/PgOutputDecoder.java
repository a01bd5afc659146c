package dev.exportdesk.cdc;

import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.OutputText;
import dev.exportdesk.source.SourceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Decodes pgoutput protocol version 1 (PostgreSQL's "Logical Replication Message Formats"): Begin,
 * Commit, Origin, Relation, Type, Insert, Update, Delete, Truncate. Rows of the captured table
 * become canonical values through {@link OutputText}, the scans' own conversions; rows of other
 * tables in the publication are skipped.
 *
 * <p>The stream is server input, and a proxy or a compromised server could send anything: every
 * count and length is checked against the bytes actually present before it is used, so a truncated
 * or hostile message ends in a {@link CaptureException} naming the message and offset — never an
 * allocation sized by the stream, an out-of-bounds read or a loop without end. Messages name no
 * row values.
 */
public final class PgOutputDecoder {
    /** PostgreSQL's MaxTupleAttributeNumber. */
    static final int MAX_COLUMNS = 1664;
    /** Names are at most 63 bytes in PostgreSQL; origin names are text, bounded here. */
    static final int MAX_STRING = 1024;
    /** Relations remembered from Relation messages (a publication FOR ALL TABLES sends one per table). */
    static final int MAX_RELATIONS = 100_000;
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final LogicalTable table;
    private final OutputText text;
    private final Map<Integer, Relation> relations = new HashMap<>();
    /** For each exported column, its position in the log's tuples of our table; null until its Relation. */
    private int[] positions;

    public PgOutputDecoder(LogicalTable table, OutputText text) {
        this.table = table;
        this.text = text;
    }

    /** What one message means to the capture. */
    public sealed interface Event {
    }

    public record Begin(LogSequenceNumber finalLsn, Instant commitTime, long xid) implements Event {
    }

    public record Commit(LogSequenceNumber commitLsn, LogSequenceNumber endLsn, Instant commitTime) implements Event {
    }

    public record RowChange(Change change) implements Event {
    }

    /** Relation, Type and Origin messages, and changes to other tables: nothing for the capture. */
    public record Skipped(char type) implements Event {
    }

    private record Relation(int oid, String namespace, String name, char identity, List<String> names,
                            List<Long> types) {
    }

    /** Decodes one message; the buffer is read from its position to its limit. */
    public Event decode(ByteBuffer message) {
        Reader in = new Reader(message);
        char type = (char) in.u8();
        Event event = switch (type) {
            case 'B' -> new Begin(in.lsn(), in.time(), in.u32());
            case 'C' -> commit(in);
            case 'O' -> {
                in.lsn();
                in.string();
                yield new Skipped(type);
            }
            case 'R' -> relation(in);
            case 'Y' -> {
                in.i32();
                in.string();
                in.string();
                yield new Skipped(type);
            }
            case 'I' -> insert(in);
            case 'U' -> update(in);
            case 'D' -> delete(in);
            case 'T' -> truncate(in);
            default -> throw in.bad("unexpected message type " + printable(type) + " (pgoutput protocol version 1 "
                    + "has B, C, O, R, Y, I, U, D, T)");
        };
        in.end();
        return event;
    }

    private static Commit commit(Reader in) {
        int flags = in.u8();
        if (flags != 0) {
            throw in.bad("commit flags " + flags + " (protocol version 1 has none)");
        }
        return new Commit(in.lsn(), in.lsn(), in.time());
    }

    private Event relation(Reader in) {
        int oid = in.i32();
        String namespace = in.string();
        String name = in.string();
        char identity = (char) in.u8();
        int count = in.count(MAX_COLUMNS, 10);
        List<String> names = new ArrayList<>(count);
        List<Long> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            in.u8(); // the "part of the key" flag: the catalog said which columns are the contract's key
            names.add(in.string());
            types.add(in.u32());
            in.i32();
        }
        if (!relations.containsKey(oid) && relations.size() >= MAX_RELATIONS) {
            throw in.bad("more than " + MAX_RELATIONS + " relations described");
        }
        Relation relation = new Relation(oid, namespace, name, identity, names, types);
        relations.put(oid, relation);
        if (oid == (int) table.oid()) {
            positions = positions(relation);
        } else if (namespace.equals(table.namespace()) && name.equals(table.name())) {
            // skipping its changes as "another table's" would lose them without a word
            throw new SchemaChangedException("table " + table.qualifiedName() + " was dropped and created again "
                    + "(it is a new relation in the log); capture must start over from a new snapshot");
        }
        return new Skipped('R');
    }

    /** Where each exported column sits in the log's tuples; a column gone or retyped is a schema change. */
    private int[] positions(Relation relation) {
        List<String> problems = new ArrayList<>();
        int[] at = new int[table.columns().size()];
        for (int i = 0; i < at.length; i++) {
            ColumnInfo column = table.columns().get(i);
            at[i] = relation.names().indexOf(column.name());
            LogicalTable.Attribute expected = table.attributes().get(column.name());
            if (at[i] < 0) {
                problems.add("column \"" + column.name() + "\" is no longer in the table");
            } else if (expected == null || relation.types().get(at[i]) != expected.typeOid()) {
                problems.add("column \"" + column.name() + "\" changed type");
            }
        }
        if (table.exportsAllColumns()) {
            for (String name : relation.names()) {
                if (!table.attributes().containsKey(name)) {
                    problems.add("column \"" + name + "\" was added");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaChangedException("the log describes table " + table.qualifiedName() + " differently "
                    + "from when capture was set up: " + String.join("; ", problems));
        }
        return at;
    }

    private Event insert(Reader in) {
        Relation relation = known(in);
        in.expect('N');
        Cell[] row = in.tuple(relation.names().size());
        if (!ours(relation)) {
            return new Skipped('I');
        }
        return new RowChange(Change.row(Change.Op.INSERT, values(row, null, in), null));
    }

    private Event update(Reader in) {
        Relation relation = known(in);
        char part = (char) in.u8();
        Cell[] old = null;
        boolean full = part == 'O';
        if (part == 'K' || part == 'O') {
            old = in.tuple(relation.names().size());
            part = (char) in.u8();
        }
        if (part != 'N') {
            throw in.bad("update without a new row (got " + printable(part) + ")");
        }
        Cell[] row = in.tuple(relation.names().size());
        if (!ours(relation)) {
            return new Skipped('U');
        }
        Object[] values = values(row, full ? old : null, in);
        Object[] oldKey = null;
        if (old != null) {
            Object[] before = key(values(old, null, in, true), in);
            Object[] after = key(values, in);
            oldKey = java.util.Arrays.equals(before, after) ? null : before;
        }
        return new RowChange(Change.row(Change.Op.UPDATE, values, oldKey));
    }

    private Event delete(Reader in) {
        Relation relation = known(in);
        char part = (char) in.u8();
        if (part != 'K' && part != 'O') {
            throw in.bad("delete without a key or old row (got " + printable(part) + ")");
        }
        Cell[] old = in.tuple(relation.names().size());
        if (!ours(relation)) {
            return new Skipped('D');
        }
        Object[] values = values(old, null, in, true);
        key(values, in);
        return new RowChange(Change.row(Change.Op.DELETE, values, null));
    }

    private Event truncate(Reader in) {
        int count = in.count(Integer.MAX_VALUE, 4, in.i32());
        int options = in.u8();
        boolean ours = false;
        for (int i = 0; i < count; i++) {
            ours |= in.i32() == (int) table.oid();
        }
        return ours ? new RowChange(Change.truncate((options & 1) != 0, (options & 2) != 0)) : new Skipped('T');
    }

    private Relation known(Reader in) {
        int oid = in.i32();
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw in.bad("change to relation " + Integer.toUnsignedString(oid) + " before its Relation message");
        }
        return relation;
    }

    private boolean ours(Relation relation) {
        return relation.oid() == (int) table.oid();
    }

    private Object[] values(Cell[] row, Cell[] old, Reader in) {
        return values(row, old, in, false);
    }

    /**
     * The exported columns' canonical values. An unchanged TOASTed value ('u') is taken from the old
     * row, which the log carries only under REPLICA IDENTITY FULL (docs/cdc.md); without it the
     * value is unknown, and guessing would ship a wrong row. {@code partial}: a key or old row, whose
     * other columns may be missing.
     */
    private Object[] values(Cell[] row, Cell[] old, Reader in, boolean partial) {
        Object[] out = new Object[positions.length];
        for (int i = 0; i < positions.length; i++) {
            Cell cell = row[positions[i]];
            if (cell.kind == 'u') {
                cell = old == null ? null : old[positions[i]];
                if (cell == null || cell.kind == 'u') {
                    if (partial) {
                        continue;
                    }
                    throw new CaptureException("an update of table " + table.qualifiedName() + " left column \""
                            + table.columns().get(i).name() + "\" as an unchanged TOASTed value, and the log does not "
                            + "carry the old row: run ALTER TABLE " + table.qualifiedName() + " REPLICA IDENTITY FULL");
                }
            }
            if (cell.kind == 't') {
                try {
                    out[i] = text.decode(i, in.bytes, cell.from, cell.to);
                } catch (SourceException e) {
                    throw new CaptureException("table " + table.qualifiedName() + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private Object[] key(Object[] values, Reader in) {
        int[] keys = table.keyIndexes();
        Object[] key = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            key[i] = values[keys[i]];
            if (key[i] == null) {
                throw new CaptureException("a change to table " + table.qualifiedName() + " came without key column \""
                        + table.columns().get(keys[i]).name() + "\": its replica identity must cover the contract's "
                        + "key columns (ALTER TABLE " + table.qualifiedName() + " REPLICA IDENTITY FULL, or USING INDEX "
                        + "on a unique index of them)");
            }
        }
        return key;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "0x" + Integer.toHexString(c);
    }

    /** A tuple column: null ('n'), unchanged TOAST ('u') or text ('t') at {@code bytes[from, to)}. */
    private record Cell(char kind, int from, int to) {
    }

    /** Bounds-checked reads over one message. */
    private static final class Reader {
        private final byte[] bytes;
        private final int start;
        private final int limit;
        private int at;
        private char type = '?';

        Reader(ByteBuffer message) {
            if (message.hasArray()) {
                bytes = message.array();
                start = message.arrayOffset() + message.position();
                limit = message.arrayOffset() + message.limit();
            } else {
                bytes = new byte[message.remaining()];
                message.duplicate().get(bytes);
                start = 0;
                limit = bytes.length;
            }
            at = start;
        }

        CaptureException bad(String what) {
            return new CaptureException("malformed pgoutput message " + printable(type) + " at byte " + (at - start)
                    + " of " + (limit - start) + ": " + what);
        }

        private void need(int n) {
            if (n < 0 || limit - at < n) {
                throw bad("truncated (" + n + " more bytes needed, " + (limit - at) + " left)");
            }
        }

        int u8() {
            need(1);
            int v = bytes[at++] & 0xff;
            if (at == start + 1) {
                type = (char) v;
            }
            return v;
        }

        int i16() {
            need(2);
            int v = (short) ((bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff);
            at += 2;
            return v;
        }

        int i32() {
            need(4);
            int v = (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                    | bytes[at + 3] & 0xff;
            at += 4;
            return v;
        }

        long u32() {
            return i32() & 0xffffffffL;
        }

        long i64() {
            return (long) i32() << 32 | u32();
        }

        LogSequenceNumber lsn() {
            return LogSequenceNumber.valueOf(i64());
        }

        Instant time() {
            long micros = i64();
            if (micros > Long.MAX_VALUE - PG_EPOCH_MICROS) {
                throw bad("timestamp out of range");
            }
            long epoch = micros + PG_EPOCH_MICROS;
            return Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000L), Math.floorMod(epoch, 1_000_000L) * 1000);
        }

        /** A null-terminated UTF-8 string of at most {@link #MAX_STRING} bytes. */
        String string() {
            int end = at;
            while (end < limit && bytes[end] != 0) {
                if (end - at >= MAX_STRING) {
                    throw bad("string longer than " + MAX_STRING + " bytes");
                }
                end++;
            }
            if (end == limit) {
                throw bad("unterminated string");
            }
            String s = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            return s;
        }

        /** An Int16 count of items of at least {@code minBytes} each, at most {@code max}. */
        int count(int max, int minBytes) {
            return count(max, minBytes, i16());
        }

        int count(int max, int minBytes, int n) {
            if (n < 0 || n > max || (long) n * minBytes > limit - at) {
                throw bad("count " + n + " does not fit the message");
            }
            return n;
        }

        void expect(char part) {
            int got = u8();
            if (got != part) {
                throw bad("expected '" + part + "', got " + printable((char) got));
            }
        }

        Cell[] tuple(int columns) {
            int n = i16();
            if (n != columns) {
                throw bad("tuple of " + n + " columns for a relation of " + columns);
            }
            Cell[] cells = new Cell[n];
            for (int i = 0; i < n; i++) {
                char kind = (char) u8();
                switch (kind) {
                    case 'n', 'u' -> cells[i] = new Cell(kind, at, at);
                    case 't' -> {
                        int len = i32();
                        need(len);
                        cells[i] = new Cell(kind, at, at + len);
                        at += len;
                    }
                    default -> throw bad("column kind " + printable(kind) + " (expected 'n', 'u' or 't'; binary "
                            + "transfer is not requested)");
                }
            }
            return cells;
        }

        void end() {
            if (at != limit) {
                throw bad((limit - at) + " bytes after the end of the message");
            }
        }
    }
}
