package dev.exportdesk.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.exportdesk.engine.runs.RunLogs;
import java.util.List;
import org.slf4j.Marker;

/**
 * Sends each line logged while a thread works for a run (MDC key {@code run}) to that run's own log
 * ({@link RunLogs}), formatted by its encoder. Logback's SiftingAppender is not used: its file
 * appenders open with plain append (following a link planted at the name), cannot be bounded per
 * run and never learn where a run's workspace is; here the engine opens each run's log itself
 * ({@code CREATE_NEW}, no links, a size limit) for exactly the length of an attempt, and this
 * appender only routes lines to whatever is open.
 */
public final class RunLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> encoder;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String run = event.getMDCPropertyMap().get(RunLogs.MDC_KEY);
        if (run != null) {
            RunLogs.append(run, encoder.encode(event), keep(event));
        }
    }

    private static boolean keep(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        return event.getLevel().isGreaterOrEqual(Level.WARN) || markers != null && markers.contains(RunLogs.ATTEMPT);
    }
}
