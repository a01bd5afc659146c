package dev.exportdesk.cli;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.exportdesk.text.Text;

/** The log pattern's {@code %safeex}: a stack trace whose exception messages may quote untrusted text, disarmed. */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return Text.safeMultiline(super.throwableProxyToString(tp));
    }
}
