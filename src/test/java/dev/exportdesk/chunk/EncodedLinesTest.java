package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ReadAheadScan;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch packs each row's line and hash; each must be exactly what encoding that row alone gives. */
class EncodedLinesTest {

    @Test
    void eachLineAndHashIsThatOfTheRowAloneEvenPastTheBatchsFirstSize() throws Exception {
        List<String> names = List.of("id", "note");
        ReadAheadScan.Batcher<EncodedLines> batcher = EncodedLines.encoder(RowEncoder.of(FileFormat.JSONL, names),
                CapturedRow::delete,
                (row, seconds, nanos, i) -> {
                    seconds[i] = 1_700_000_000L + (Long) row.values()[0];
                    nanos[i] = 1_000 * (int) (long) (Long) row.values()[0];
                });
        RowEncoder alone = RowEncoder.of(FileFormat.JSONL, names);
        CapturedRow[] rows = {
                new CapturedRow(new Object[] {1L, "short"}, false),
                new CapturedRow(new Object[] {2L, "x".repeat(100_000)}, false), // past the batch's first array
                new CapturedRow(new Object[] {3L, null}, true),
                new CapturedRow(new Object[] {4L, "naïve \"quoted\"\n"}, false)};
        EncodedLines batch = batcher.open(rows.length);
        for (CapturedRow row : rows) {
            batcher.add(batch, row);
        }
        for (int i = 0; i < rows.length; i++) {
            RowBuffer expected = new RowBuffer();
            alone.encode(rows[i], expected);
            byte[] line = Arrays.copyOfRange(batch.bytes(), batch.offset(i), batch.offset(i) + batch.length(i));
            assertThat(line).isEqualTo(Arrays.copyOf(expected.array(), expected.length()));
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(line);
            assertThat(batch.sha256(i)).isEqualTo(sha);
            assertThat(Arrays.copyOfRange(batch.shas(), i * EncodedLines.SHA_BYTES, (i + 1) * EncodedLines.SHA_BYTES))
                    .isEqualTo(sha);
        }
        for (int i = 0; i < rows.length; i++) {
            assertThat(batch.delete(i)).isEqualTo(rows[i].delete());
            Instant at = Instant.ofEpochSecond(1_700_000_001L + i, 1_000L * (i + 1));
            assertThat(batch.at(i)).isEqualTo(at);
            assertThat(batch.atSecond(i)).isEqualTo(at.getEpochSecond());
            assertThat(batch.atNano(i)).isEqualTo(at.getNano());
            assertThat(batch.atOrAfter(i, at)).isTrue();
            assertThat(batch.atOrAfter(i, at.minusNanos(1))).isTrue();
            assertThat(batch.atOrAfter(i, at.plusNanos(1))).isFalse();
            assertThat(batch.atOrAfter(i, at.plusSeconds(1).minusNanos(2_000))).isFalse();
        }
        assertThat(batch.timed()).isTrue();
        assertThat(batch.offset(0)).isZero();
        assertThat(batch.offset(1)).isEqualTo(batch.length(0));
    }

    @Test
    void withoutACursorTimeReaderNoTimeIsRead() {
        ReadAheadScan.Batcher<EncodedLines> batcher = EncodedLines.encoder(RowEncoder.of(FileFormat.JSONL,
                List.of("id")), CapturedRow::delete, null);
        EncodedLines batch = batcher.open(2);
        batcher.add(batch, new CapturedRow(new Object[] {1L}, false));
        assertThat(batch.timed()).isFalse();
        assertThat(batch.at(0)).isNull();
        assertThat(batch.length(0)).isEqualTo("{\"id\":1,\"_op\":\"upsert\"}\n".length());
    }
}
