package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The COPY reader's eight-bytes-at-a-time scans find what a byte-by-byte loop finds, wherever the
 * byte falls in a word, next to every kind of byte that could disturb the arithmetic.
 */
class CopyTextScanTest {
    /** Bytes around the edges the word tricks test: controls, tab, space, quote, backslash, DEL, high bytes. */
    private static final byte[] TRICKY = {0, 1, 8, 9, 10, 0x1f, 0x20, 0x21, '"', '\\', 0x5b, 0x7e, 0x7f, (byte) 0x80,
        (byte) 0x89, (byte) 0xa0, (byte) 0xc3, (byte) 0xff, 'a', '0'};

    @Test
    void nextTabAndPrintableAgreeWithAByteByByteScan() {
        Random r = new Random(1414);
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(3) == 0 ? TRICKY[r.nextInt(TRICKY.length)] : (byte) (0x20 + r.nextInt(0x5f));
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int to = from + r.nextInt(b.length - from + 1);
            int tab = from;
            while (tab < to && b[tab] != '\t') {
                tab++;
            }
            boolean printable = true;
            for (int i = from; i < to; i++) {
                printable &= b[i] >= 0x20 && b[i] != '"' && b[i] != '\\';
            }
            assertThat(CopyText.nextTab(b, from, to)).as("tab in %s [%d, %d)", java.util.Arrays.toString(b), from, to)
                    .isEqualTo(tab);
            assertThat(CopyText.printable(b, from, to)).as("printable %s [%d, %d)", java.util.Arrays.toString(b),
                    from, to).isEqualTo(printable);
        }
    }
}
