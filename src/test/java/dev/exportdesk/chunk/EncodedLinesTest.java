package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ReadAheadScan;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch packs each row's line and hash; each must be exactly what encoding that row alone gives. */
class EncodedLinesTest {

    @Test
    void eachLineAndHashIsThatOfTheRowAloneEvenPastTheBatchsFirstSize() throws Exception {
        List<String> names = List.of("id", "note");
        ReadAheadScan.Batcher<EncodedLines> batcher = EncodedLines.encoder(RowEncoder.of(FileFormat.JSONL, names));
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
        assertThat(batch.offset(0)).isZero();
        assertThat(batch.offset(1)).isEqualTo(batch.length(0));
    }
}
