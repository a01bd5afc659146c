package dev.exportdesk.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What counts as unsafe text, and that the terminal writer keeps line structure and the progress line's CR. */
class TextTest {
    static final String HOSTILE = "a\u001b[2Jb\u0007c\u009bd\u202ee\u2066f\u0000g\u007f";

    @Test
    void controlsEscapesAndBidiOverridesAreReplaced() {
        assertThat(Text.safe(HOSTILE)).isEqualTo("a\uFFFD[2Jb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFD");
        assertThat(Text.safe("line\none\ttab")).isEqualTo("line\uFFFDone\uFFFDtab");
        assertThat(Text.safeMultiline("line\none\ttab\u001b")).isEqualTo("line\none\ttab\uFFFD");
        assertThat(Text.safe("plain ünïcode ✓")).isEqualTo("plain ünïcode ✓");
        assertThat(Text.firstUnsafe("ok\u202e", false)).isEqualTo("U+202E at offset 2");
        assertThat(Text.firstUnsafe("ok\r\n\t", true)).isNull();
    }

    @Test
    void theTerminalWriterKeepsLinesAndCarriageReturns() throws Exception {
        StringWriter out = new StringWriter();
        try (TerminalWriter w = new TerminalWriter(out)) {
            w.write("\rprogress " + HOSTILE + "\n");
            w.write('\u001b');
            w.write("ok\r\n".toCharArray(), 0, 4);
        }
        assertThat(out.toString()).isEqualTo("\rprogress " + Text.safe(HOSTILE) + "\n\uFFFDok\r\n");
    }
}
