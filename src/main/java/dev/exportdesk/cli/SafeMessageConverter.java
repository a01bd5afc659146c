package dev.exportdesk.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.exportdesk.text.Text;

/**
 * The log pattern's {@code %safemsg}: log messages quote source errors, partner receipts and
 * contract text, so escape sequences and bidi overrides are disarmed before a line is written (a
 * log read with {@code less -R} or {@code tail} in a terminal obeys them).
 */
public final class SafeMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Text.safeMultiline(super.convert(event));
    }
}
