package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.text.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Each run's own log, {@code logs/runs/RUN_ID.log} in the workspace: what the engine logs while a thread
 * works for the run. A thread works for a run while the MDC key {@link #MDC_KEY} holds its id: the
 * executing thread from the start of an attempt to its end, the delivery pool's threads for each
 * chunk they carry. The logging configuration's run-log appender hands every such line to
 * {@link #append}, already formatted and cleaned like every log line (secrets are never logged;
 * control characters from source data are disarmed). Logs are bounded ({@link #LIMIT}) and removed
 * {@link #KEEP} after their last line.
 */
public final class RunLogs {
    public static final String MDC_KEY = "run";
    /** On lines that are written even past the limit: the start and end of each attempt. */
    public static final Marker ATTEMPT = MarkerFactory.getMarker("RUN_ATTEMPT");
    public static final long LIMIT = 4L * 1024 * 1024;
    static final long RESERVE = 256L * 1024;
    /** How long a run's log is kept after it was last written. */
    public static final Duration KEEP = Duration.ofDays(90);
    /** Logs removed per prune at most, so opening an attempt never waits on a huge backlog. */
    private static final int PRUNE_BATCH = 1_000;
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Logger LOG = LoggerFactory.getLogger(RunLogs.class);
    private static final ConcurrentMap<String, RunLogFile> OPEN = new ConcurrentHashMap<>();

    private final EngineContext ctx;
    private final RunLookup lookup;

    public RunLogs(EngineContext ctx) {
        this.ctx = ctx;
        this.lookup = new RunLookup(ctx);
    }

    /** From the logging configuration: one formatted line logged while a thread worked for {@code runId}. */
    public static void append(String runId, byte[] line, boolean keep) {
        RunLogFile file = OPEN.get(runId);
        if (file != null) {
            file.write(line, keep);
        }
    }

    /**
     * Opens {@code runId}'s log for this thread until the returned session is closed. If the log is
     * already open (another thread of this process works for the run) the session only marks the
     * thread. A log that cannot be opened costs the run nothing: it is said in the workspace log.
     */
    public static Session open(EngineContext ctx, String runId) {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, runId);
        RunLogFile owned = null;
        if (!OPEN.containsKey(runId)) {
            try {
                Path dir = SafeFiles.createDirectoriesBelow(ctx.runLogDir().getParent(), ctx.runLogDir());
                owned = RunLogFile.open(dir.resolve(fileName(runId)), LIMIT, RESERVE);
                if (OPEN.putIfAbsent(runId, owned) != null) {
                    owned.close();
                    owned = null;
                }
                prune(dir, ctx.clock().instant());
            } catch (IOException | RuntimeException e) {
                LOG.warn("run {}: its own log cannot be written ({}); everything is in this log", runId, e.toString());
            }
        }
        return new Session(runId, owned, previous);
    }

    /** Marks the calling thread as working for a run; restores what it was working for when closed. */
    public static final class Session implements AutoCloseable {
        private final String runId;
        private final RunLogFile owned;
        private final String previous;

        private Session(String runId, RunLogFile owned, String previous) {
            this.runId = runId;
            this.owned = owned;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
            if (owned != null) {
                OPEN.remove(runId, owned);
                owned.close();
            }
        }
    }

    /** The run {@code ref} names (id, unique id prefix, or contract for its latest run). */
    public RunRecord run(String ref) {
        return lookup.find(ref);
    }

    /**
     * The run's log as text, cleaned once more for display (it is read back from disk), or empty for a
     * run that has none (runs from before run logs, or pruned).
     */
    public Optional<String> read(String runId) {
        return bytes(runId).map(b -> Text.safeMultiline(new String(b, StandardCharsets.UTF_8)));
    }

    /**
     * Writes a copy of the run's log to {@code target}, audited as {@code run.log.save}. A file already
     * there is replaced only with {@code replace} (the user confirmed it), and then by a rename, so a
     * link at {@code target} is replaced and never written through; otherwise the copy is created with
     * {@code CREATE_NEW} and an existing file is refused.
     */
    public void saveCopy(String runId, Path target, boolean replace) throws IOException {
        RunRecord run = lookup.find(runId);
        byte[] text = read(run.id()).orElseThrow(() -> new NoSuchFileException(file(run.id()).toString(), null,
                "run " + run.id() + " has no log")).getBytes(StandardCharsets.UTF_8);
        if (replace) {
            SafeFiles.replaceAtomically(target, text);
        } else {
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(text);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
        }
        ctx.store().update(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.log.save",
                run.contractName() + " run " + run.sequence(), null, target.toString()));
    }

    Path file(String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new EngineException("not a run id: \"" + Text.safe(runId) + "\"");
        }
        return ctx.runLogDir().resolve(fileName(runId));
    }

    private Optional<byte[]> bytes(String runId) {
        try {
            return Optional.of(SafeFiles.readRegular(file(runId), LIMIT + RESERVE + 1024));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static String fileName(String runId) {
        return runId + ".log";
    }

    /** Removes run logs last written more than {@link #KEEP} ago; links and other entries are left alone. */
    public static int prune(Path dir, Instant now) throws IOException {
        Instant cutoff = now.minus(KEEP);
        int removed = 0;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "*.log")) {
            for (Path p : logs) {
                BasicFileAttributes a = SafeFiles.lstat(p);
                if (a != null && a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)
                        && OPEN.get(p.getFileName().toString().replace(".log", "")) == null) {
                    Files.deleteIfExists(p);
                    if (++removed >= PRUNE_BATCH) {
                        break;
                    }
                }
            }
        }
        return removed;
    }
}
