package dev.exportdesk.ui;

import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The partner's side of receipts in the demo workspace: a contract that expects them, and writing one. */
public final class PartnerReceipts {
    private PartnerReceipts() {
    }

    /** Imports orders-to-acme as a new version that sets {@code destination.ack_deadline} to 1h. */
    public static void expectReceipts(ConsoleFixture fixture) {
        fixture.engine(fixture.admin).importContract(DemoContracts.orders(fixture.drop)
                .replace("\"destination\": {\"type\": \"folder\",", "\"destination\": {\"ack_deadline\": \"1h\", "
                        + "\"type\": \"folder\","), "orders.json");
    }

    /**
     * Writes the run's manifest.json.ack into the drop folder as the partner would: every chunk with
     * the hash that was delivered, or (with {@code firstWrong}) the first chunk with a wrong one.
     */
    public static void write(ConsoleFixture fixture, RunRecord run, boolean firstWrong) throws Exception {
        List<ChunkRecord> chunks = fixture.workspace.store().inTransaction(c -> fixture.workspace.store().chunks()
                .forRun(c, run.id()));
        String list = chunks.stream().map(ch -> "{\"file\": \"" + ch.fileName() + "\", \"sha256\": \""
                + (firstWrong && ch.seq() == chunks.get(0).seq() ? "0".repeat(64) : ch.sha256()) + "\"}")
                .collect(Collectors.joining(", "));
        Path runDir = fixture.drop.resolve(String.format("%s/run-%06d", run.contractName(), run.sequence()));
        Files.writeString(runDir.resolve(AckService.ACK_FILE), "{\"format\": \"" + AckService.FORMAT
                + "\", \"run_id\": \"" + run.id() + "\", \"manifest_sha256\": \"" + run.manifestSha256()
                + "\", \"chunks\": [" + list + "]}");
    }
}
