package dev.exportdesk.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ExportDesk's logging, set up in code when logback starts (a service of logback's
 * {@link Configurator}): reading an XML file cost every command's start a SAX parser, logback's model
 * of the file and 24 classes spun for their string concatenation (BENCHMARKS.md, 2026-12-06, fourth
 * section). An operator's own file, named with {@code -Dlogback.configurationFile}, is still read
 * instead.
 *
 * <ul>
 *   <li>{@code exportdesk.log} in {@code exportdesk.logdir} (the CLI points it at the workspace's
 *       {@code logs/} before the first logger is made), rolled at 10 MB, five kept;</li>
 *   <li>standard error: only errors unless {@code -v} ({@code exportdesk.console.level}); expected
 *       outcomes (a failed run, a retry) are told by the CLI itself and kept in {@code status};</li>
 *   <li>each run's own log ({@link RunLogAppender}), stack traces cut to a few frames per cause: the
 *       cause chain is what an operator reads there, {@code exportdesk.log} keeps the whole trace.</li>
 * </ul>
 * Log lines quote untrusted text (source errors, partner receipts), so every message and trace goes
 * through {@link SafeMessageConverter} and {@link SafeThrowableConverter}.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    static final String LOG_DIR = "exportdesk.logdir";
    static final String CONSOLE_LEVEL = "exportdesk.console.level";
    private static final String TIME = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC}";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Map<String, Supplier<DynamicConverter>> rules = new HashMap<>();
        rules.put("safemsg", SafeMessageConverter::new);
        rules.put("safeex", SafeThrowableConverter::new);
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(workspaceLog(context));
        root.addAppender(standardError(context));
        root.addAppender(runLogs(context));
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static RollingFileAppender<ILoggingEvent> workspaceLog(LoggerContext context) {
        String dir = System.getProperty(LOG_DIR, System.getProperty("java.io.tmpdir"));
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(Path.of(dir, "exportdesk.log").toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setFileNamePattern(Path.of(dir, "exportdesk.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.setParent(file);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
        size.setContext(context);
        size.setMaxFileSize(FileSize.valueOf("10MB"));
        size.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(size);
        file.setEncoder(encoder(context, TIME + " %-5level [%thread] %logger{24} - %safemsg%n%safeex"));
        file.start();
        return file;
    }

    private static ConsoleAppender<ILoggingEvent> standardError(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setContext(context);
        threshold.setLevel(System.getProperty(CONSOLE_LEVEL, "ERROR"));
        threshold.start();
        stderr.addFilter(threshold);
        stderr.setEncoder(encoder(context, "%-5level %safemsg%n%nopex"));
        stderr.start();
        return stderr;
    }

    private static RunLogAppender runLogs(LoggerContext context) {
        RunLogAppender runs = new RunLogAppender();
        runs.setContext(context);
        runs.setName("RUNS");
        runs.setEncoder(encoder(context, TIME + " %-5level [%thread] %logger{0} - %safemsg%n%safeex{4}"));
        runs.start();
        return runs;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
