package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.ConsoleFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run detail's "SHA-256 at destination" after Verify delivery of a real run into a folder, where
 * the partner's copy of chunk 2 was damaged so that it no longer decompresses and chunk 3 was
 * removed: chunk 2 shows the SHA-256 of the bytes there (what `sha256sum` says) with the reason,
 * chunk 3 has no hash to show, chunk 1 shows its hash as shipped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DestinationHashTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatDoesNotDecompressStillShowsItsHash() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 6_000)) {
            GuardedEngine engine = fixture.engine(fixture.admin);
            RunResult result = engine.run("orders-to-acme", ProgressListener.NONE);
            assertThat(result.completed()).isTrue();
            RunRecord run = result.run();
            List<ChunkRow> before = rows(engine, run);
            assertThat(before).hasSize(3);

            Path runDir = fixture.drop.resolve(String.format("%s/run-%06d", run.contractName(), run.sequence()));
            Path second = runDir.resolve(before.get(1).fileName());
            byte[] damaged = Files.readAllBytes(second);
            Arrays.fill(damaged, 0, 16, (byte) 0x5a); // the zstd frame header is gone
            Files.write(second, damaged);
            Files.delete(runDir.resolve(before.get(2).fileName()));
            assertThat(engine.verification().verify(run.id()).report().ok()).isFalse();

            List<ChunkRow> after = rows(engine, run);
            String damagedSha = Hashing.sha256Hex(damaged);
            assertThat(after.get(0).destinationText()).isEqualTo(before.get(0).sha256());
            assertThat(after.get(1).destinationSha256()).isEqualTo(damagedSha);
            assertThat(after.get(1).destinationText()).isEqualTo(damagedSha + " (does not decompress)");
            assertThat(after.get(1).destinationDiffers()).isTrue();
            assertThat(after.get(1).mismatch()).isTrue();
            assertThat(after.get(1).checkDetail()).contains("sha256 " + damagedSha + ", manifest says "
                    + before.get(1).sha256()).contains("does not decompress as zstd");
            assertThat(after.get(2).destinationSha256()).isNull();
            assertThat(after.get(2).destinationText()).isEqualTo("unreadable (see last check)");
            assertThat(after.get(2).checkDetail()).contains("missing at the destination");
        }
    }

    private static List<ChunkRow> rows(GuardedEngine engine, RunRecord run) {
        return engine.chunkPage(run.id(), 0, 100).stream().map(ChunkRow::of).toList();
    }
}
