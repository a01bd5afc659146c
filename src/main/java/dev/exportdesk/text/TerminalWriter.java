package dev.exportdesk.text;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything the CLI and the partner verifier print goes through here: source values, source errors, partner receipts and
 * contract text reach the terminal, and a terminal obeys escape sequences (clear the screen, rewrite
 * a line, set the window title) and bidi overrides. This is the last line behind cleaning at each
 * source: every character {@link Text#safeMultiline} would replace is replaced, except CR, which
 * the progress line uses to redraw itself.
 */
public final class TerminalWriter extends FilterWriter {
    public TerminalWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        out.write(c == '\r' ? "\r" : Text.safeMultiline(String.valueOf((char) c)));
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(new String(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        String part = str.substring(off, off + len);
        if (part.indexOf('\r') < 0) {
            out.write(Text.safeMultiline(part));
            return;
        }
        String[] lines = part.split("\r", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.write('\r');
            }
            out.write(Text.safeMultiline(lines[i]));
        }
    }
}
