package dev.exportdesk.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's append-only file copy: one line per leaf, {@code <index> <leaf hash hex> <leaf text>},
 * appended and then forced to disk (fsync) before the run's files are delivered. It is never
 * rewritten; {@link #catchUp} only appends what the state store holds beyond the file's end, after
 * checking that the lines already there are exactly the store's.
 */
public final class LedgerFile {
    private static final Object IN_PROCESS = new Object();
    private final Path file;

    public LedgerFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public record Line(long index, String leafHash, String leaf) {
        String text() {
            return index + " " + leafHash + " " + leaf + "\n";
        }
    }

    public List<Line> read() {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LedgerException("cannot read the ledger file " + file + ": " + e.getMessage(), e);
        }
    }

    private List<Line> parse(String text) {
        List<Line> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] parts = line.split(" ", 3);
            if (parts.length != 3) {
                throw new LedgerException("ledger file " + file + " line " + (out.size() + 1) + " is malformed");
            }
            try {
                out.add(new Line(Long.parseLong(parts[0]), parts[1], parts[2]));
            } catch (NumberFormatException e) {
                throw new LedgerException("ledger file " + file + " line " + (out.size() + 1)
                        + " has no index");
            }
        }
        return out;
    }

    /**
     * Appends {@code expected}'s lines beyond the file's end, durably; refuses a file that diverges.
     * Under an exclusive lock on the file, read and written through the locked channel only (closing
     * any other descriptor of the file would drop the lock): workers of a shared store that share a
     * workspace append to one file, and must not both append a line.
     */
    public void catchUp(List<Line> expected) {
        synchronized (IN_PROCESS) { // a second lock on one file from one JVM throws instead of waiting
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS); FileLock lock = ch.lock()) {
                    appendMissing(ch, expected);
                }
            } catch (IOException e) {
                throw new LedgerException("cannot append to the ledger file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void appendMissing(FileChannel ch, List<Line> expected) throws IOException {
        ByteBuffer held = ByteBuffer.allocate(Math.toIntExact(ch.size()));
        while (held.hasRemaining() && ch.read(held, held.position()) >= 0) {
            // reads until full: the file's size was taken under the lock
        }
        List<Line> present = parse(new String(held.array(), StandardCharsets.UTF_8));
        if (present.size() > expected.size()) {
            throw new LedgerException("ledger file " + file + " has " + present.size()
                    + " entries but the state store only " + expected.size());
        }
        for (int i = 0; i < present.size(); i++) {
            if (!present.get(i).equals(expected.get(i))) {
                throw new LedgerException("ledger file " + file + " entry " + i + " differs from the state store");
            }
        }
        if (present.size() == expected.size()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Line l : expected.subList(present.size(), expected.size())) {
            sb.append(l.text());
        }
        ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        long at = ch.size();
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
        ch.force(true);
    }
}
