package dev.exportdesk.engine.runs;

import dev.exportdesk.fs.OwnerOnly;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One run's log file, open for the length of an attempt. The file is created with
 * {@code CREATE_NEW} and reopened for a later attempt only when it is a regular file, never through a
 * link. It is bounded: past {@code limit} bytes ordinary lines are left out behind a single truncation
 * marker, while warnings, errors and the attempt markers still go in for {@code reserve} bytes more,
 * so a run that logged too much still shows how each attempt ended.
 */
final class RunLogFile implements AutoCloseable {
    static final String TRUNCATED = "… this run's log reached its limit of %d bytes: informational lines are left out "
            + "from here on (warnings, errors and the start and end of each attempt are still written; the workspace's "
            + "logs/exportdesk.log has every line)%n";
    private final FileChannel channel;
    private final long limit;
    private final long reserve;
    private long size;
    /** Where kept lines stop: {@code reserve} bytes past the truncation marker. */
    private long hardLimit;
    private boolean truncated;
    private boolean closed;

    private RunLogFile(FileChannel channel, long size, long limit, long reserve) {
        this.channel = channel;
        this.size = size;
        this.limit = limit;
        this.reserve = reserve;
        this.truncated = size >= limit;
        this.hardLimit = truncated ? size + reserve : Long.MAX_VALUE;
    }

    static RunLogFile open(Path file, long limit, long reserve) throws IOException {
        try {
            FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), OwnerOnly.fileAttributes(file.getParent()));
            return new RunLogFile(ch, 0, limit, reserve);
        } catch (FileAlreadyExistsException earlierAttempt) {
            SafeFiles.requireRegular(file);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS);
            return new RunLogFile(ch, ch.size(), limit, reserve);
        }
    }

    /** {@code keep}: a warning, error or attempt marker, still written once the limit is reached. */
    synchronized void write(byte[] line, boolean keep) {
        if (closed) {
            return;
        }
        try {
            if (size + line.length <= limit) {
                put(line);
                return;
            }
            if (!truncated) {
                truncated = true;
                put(String.format(TRUNCATED, limit).getBytes(StandardCharsets.UTF_8));
                hardLimit = size + reserve;
            }
            if (keep && size + line.length <= hardLimit) {
                put(line);
            }
        } catch (IOException e) {
            // a full disk must not fail the run; the workspace log still has the line
            closed = true;
        }
    }

    private void put(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more will be written to it either way
        }
    }
}
