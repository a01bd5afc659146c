package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunk table's "SHA-256 at destination" and "receipt" columns from a real run into a folder,
 * without the toolkit: before any check the receipt is waiting and nothing was measured; after a
 * partner-side mix-up, Verify delivery measures the replaced chunk's other hash; a partner
 * receipt that matches chunk 1, disagrees on chunk 2 and forgets chunk 3 shows ACKNOWLEDGED and
 * REDELIVERED (sent again) with the engine's reasons. A contract that expects no receipt shows "none".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunDetailReceiptsTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        String withDeadline = DemoContracts.orders(fixture.drop)
                .replace("\"destination\": {\"type\": \"folder\",", "\"destination\": {\"ack_deadline\": \"1h\", "
                        + "\"type\": \"folder\",");
        assertThat(withDeadline).contains("ack_deadline");
        fixture.engine(fixture.admin).importContract(withDeadline, "orders.json");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private RunDetailViewModel open(String runId) {
        ConsoleContext ctx = fixture.context(fixture.admin, new DirectTaskRunner(), new RecordingDialogs(),
                Runnable::run);
        RunDetailViewModel model = new RunDetailViewModel(ctx, runId);
        model.activate();
        return model;
    }

    @Test
    void destinationHashesAndReceiptsPerChunk() throws Exception {
        RunResult result = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(result.completed()).isTrue();
        RunRecord run = result.run();
        List<ChunkRow> before = open(run.id()).allChunks();
        assertThat(before).hasSize(3);
        assertThat(before).extracting(ChunkRow::receiptText).containsOnly("waiting");
        assertThat(before).extracting(ChunkRow::destinationText).containsOnly("not verified");

        Path runDir = fixture.drop.resolve(String.format("%s/run-%06d", run.contractName(), run.sequence()));
        // the partner's copy of chunk 2 holds chunk 1's bytes: readable, but not what was shipped as chunk 2
        // (a flipped byte would often make the compressed file undecodable, and the delivery check
        // then reports no hash for it: "unreadable")
        Path second = runDir.resolve(before.get(1).fileName());
        byte[] bytes = Files.readAllBytes(runDir.resolve(before.get(0).fileName()));
        Files.write(second, bytes);
        String corruptedSha = Hashing.sha256Hex(bytes);
        assertThat(corruptedSha).isEqualTo(before.get(0).sha256());
        fixture.engine(fixture.admin).verification().verify(run.id());

        String receipt = """
                {"format": "exportdesk-ack/1", "run_id": "%s", "manifest_sha256": "%s", "chunks": [
                  {"file": "%s", "sha256": "%s"}, {"file": "%s", "sha256": "%s"}]}
                """.formatted(run.id(), run.manifestSha256(), before.get(0).fileName(), before.get(0).sha256(),
                before.get(1).fileName(), corruptedSha);
        Files.writeString(runDir.resolve(AckService.ACK_FILE), receipt);
        var ack = dev.exportdesk.engine.EngineServices.of(fixture.base).acks().poll(run.id());
        assertThat(ack.state()).as("the chunks the receipt found wanting were sent again").isEqualTo(AckState.REDELIVERED);
        assertThat(Hashing.digest(runDir.resolve(before.get(1).fileName())).sha256()).as("sealed bytes back")
                .isEqualTo(before.get(1).sha256());

        RunDetailViewModel model = open(run.id());
        List<ChunkRow> after = model.allChunks();
        assertThat(after.get(0).destinationSha256()).isEqualTo(after.get(0).sha256());
        assertThat(after.get(0).destinationDiffers()).isFalse();
        assertThat(after.get(1).destinationSha256()).isEqualTo(corruptedSha).isNotEqualTo(after.get(1).sha256());
        assertThat(after.get(1).destinationDiffers()).isTrue();
        assertThat(after.get(2).destinationSha256()).isEqualTo(after.get(2).sha256());
        assertThat(after.get(0).receiptText()).isEqualTo("ACKNOWLEDGED");
        assertThat(after.get(1).receiptText())
                .startsWith("REDELIVERED — sent again (redelivery 1): partner computed sha256 " + corruptedSha);
        assertThat(after.get(2).receiptText())
                .isEqualTo("REDELIVERED — sent again (redelivery 1): not listed in the receipt");
        // the partner's complaints count as mismatches and are searchable
        model.mismatchesOnlyProperty().set(true);
        assertThat(model.chunks()).extracting(ChunkRow::seq).containsExactly(2, 3);
        model.mismatchesOnlyProperty().set(false);
        model.searchProperty().set("not listed");
        assertThat(model.chunks()).extracting(ChunkRow::seq).containsExactly(3);
        model.select(after.get(1));
        assertThat(model.detailProperty().get()).contains("SHA-256 at destination " + corruptedSha)
                .contains("differs from what was shipped").contains("Receipt REDELIVER");
    }

    @Test
    void aContractWithoutReceiptsShowsNone() {
        RunResult result = fixture.engine(fixture.admin).run("customers-to-acme", ProgressListener.NONE);
        assertThat(result.completed()).isTrue();
        assertThat(open(result.run().id()).allChunks()).isNotEmpty().extracting(ChunkRow::receiptText)
                .containsOnly("none");
    }
}
