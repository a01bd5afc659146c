package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.source.CapturedRow;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written JSON Lines path writes the very bytes Jackson's generator writes: partners'
 * parsers, delivered hashes and the SQL digest of {@code verify --deep} all depend on them.
 */
class JsonTextTest {
    private static final List<String> NAMES = List.of("id", "note", "amount", "flag", "at", "naïve \"name\"");

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0 -> s.append((char) r.nextInt(0x20));              // control characters
                case 1 -> s.append("\"\\/\u007f".charAt(r.nextInt(4)));   // quote, backslash, slash, DEL
                case 2 -> s.append((char) (0x80 + r.nextInt(0x780)));    // two-byte UTF-8
                case 3 -> s.append((char) (0x800 + r.nextInt(0xd000)));   // three-byte, below the surrogates
                case 4 -> s.appendCodePoint(0x10000 + r.nextInt(0xfffff)); // a pair: four-byte UTF-8
                case 5 -> s.append((char) (0xe000 + r.nextInt(0x2000)));  // three-byte, above the surrogates
                case 6 -> s.append((char) (0xd800 + r.nextInt(0x800)));   // a lone surrogate
                default -> s.append((char) (0x20 + r.nextInt(0x5f)));     // printable ASCII
            }
        }
        return s.toString();
    }

    private static Object randomValue(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> null;
            case 1 -> r.nextLong() >> r.nextInt(64);
            case 2 -> r.nextBoolean();
            case 3 -> r.nextInt(5) == 0 ? Double.NaN : r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 4 -> new java.math.BigDecimal(r.nextInt(100000)).movePointLeft(2).toPlainString();
            default -> randomString(r);
        };
    }

    @Test
    void everyKindOfValueIsWrittenByteForByteAsJacksonWritesIt() {
        Random r = new Random(1414);
        JsonLinesEncoder encoder = new JsonLinesEncoder(NAMES);
        RowBuffer ours = new RowBuffer();
        RowBuffer jackson = new RowBuffer();
        int byHand = 0;
        for (int i = 0; i < 200_000; i++) {
            Object[] values = new Object[NAMES.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = randomValue(r);
            }
            CapturedRow row = new CapturedRow(values, r.nextInt(10) == 0);
            encoder.encode(row, ours);
            jackson.reset();
            encoder.encodeWithJackson(row, jackson);
            byte[] a = Arrays.copyOf(ours.array(), ours.length());
            byte[] b = Arrays.copyOf(jackson.array(), jackson.length());
            assertThat(HexFormat.of().formatHex(a)).as("row %s", Arrays.toString(values))
                    .isEqualTo(HexFormat.of().formatHex(b));
            if (Arrays.stream(values).noneMatch(v -> v instanceof Double
                    || v instanceof String s && s.chars().anyMatch(c -> Character.isSurrogate((char) c)))) {
                byHand++;
            }
        }
        assertThat(byHand).as("rows the hand-written path wrote itself").isGreaterThan(10_000);
    }

    @Test
    void aRowWithALoneSurrogateIsLeftToJackson() {
        JsonLinesEncoder encoder = new JsonLinesEncoder(List.of("s"));
        RowBuffer ours = new RowBuffer();
        RowBuffer jackson = new RowBuffer();
        CapturedRow row = new CapturedRow(new Object[] {"a\ud800b"}, false);
        encoder.encode(row, ours);
        encoder.encodeWithJackson(row, jackson);
        assertThat(Arrays.copyOf(ours.array(), ours.length())).isEqualTo(Arrays.copyOf(jackson.array(), jackson.length()));
    }
}
