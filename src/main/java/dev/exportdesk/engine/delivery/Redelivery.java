package dev.exportdesk.engine.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.Fence;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.Throttle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends again the chunks a partner's receipt found wanting, with their sealed bytes from the
 * retained copies ({@link StagedCopies}), each swapped in atomically over what the destination
 * holds; then delivers a notice {@code redelivery-N.json} naming them, so the partner knows to
 * re-read them and write a fresh receipt. Where a chunk's retained copy is gone but the
 * destination still holds exactly its sealed bytes, nothing needs re-sending; where neither is
 * true, it cannot be redelivered with identical bytes and is reported for a person to decide.
 */
public final class Redelivery {
    static final String NOTICE_FORMAT = "exportdesk-redelivery/1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineContext ctx;
    private final StagedCopies staged;

    public Redelivery(EngineContext ctx) {
        this.ctx = ctx;
        this.staged = new StagedCopies(ctx);
    }

    /** What one redelivery did: the chunks sent again (or found intact) and those it could not fix. */
    public record Outcome(List<Integer> redelivered, Map<Integer, String> impossible) {
    }

    /**
     * Redelivery number {@code n} of {@code run}'s {@code wanting} chunks (seq → the receipt's
     * reason). Repeating it after a crash sends nothing twice and writes the same notice bytes.
     */
    public Outcome resend(RunRecord run, Contract contract, List<ChunkRecord> chunks, Map<Integer, String> wanting, int n)
            throws RunFailure, InterruptedException {
        String runDirectory = DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(), run.plannedAt());
        Path scratch = ctx.stagingDir().resolve(run.id() + "-redelivery");
        List<Integer> done = new ArrayList<>();
        Map<Integer, String> impossible = new java.util.TreeMap<>();
        ArrayNode listed = JSON.createArrayNode();
        try (Destination destination = EngineDestinations.open(ctx, contract.destination())) {
            ChunkDelivery delivery = new ChunkDelivery(ctx, destination, contract.name(), contract.retry(),
                    contract.destination().policy(), runDirectory, scratch,
                    new Throttle(contract.destination().policy().maxBytesPerSecond()));
            // every wanting chunk is judged before any is sent: one kept by another worker defers them all
            String me = ctx.store().fence().map(Fence::holder).orElse(null);
            Map<Integer, String> keepers = ctx.store().inTransaction(c -> ctx.store().chunks().retainers(c, run.id()));
            Map<ChunkRecord, Optional<Path>> sendable = new LinkedHashMap<>();
            for (ChunkRecord ch : chunks) {
                if (!wanting.containsKey(ch.seq())) {
                    continue;
                }
                Optional<Path> copy = staged.find(run.id(), ch.fileName());
                if (copy.isPresent() || holdsSealedBytes(destination, runDirectory + "/" + ch.fileName(), ch.sha256())) {
                    sendable.put(ch, copy); // empty: the destination holds its sealed bytes, nothing to send
                } else if (keptElsewhere(keepers.get(ch.seq()), me)) {
                    // team mode: its retained copy is in the keeping worker's own workspace
                    throw new RunFailure("the retained copy of " + ch.fileName() + " is kept by worker "
                            + keepers.get(ch.seq()) + " in its own workspace; that worker sends it again at its next "
                            + "receipt check");
                } else {
                    impossible.put(ch.seq(), "its retained copy is gone and the destination does not hold its "
                            + "sealed bytes; it cannot be sent again with identical bytes");
                }
            }
            for (Map.Entry<ChunkRecord, Optional<Path>> e : sendable.entrySet()) {
                ChunkRecord ch = e.getKey();
                if (e.getValue().isPresent()) {
                    delivery.redeliver(run.id(), ch.seq(), ch.fileName(), e.getValue().get(), ch.sha256());
                }
                done.add(ch.seq());
                listed.addObject().put("file", ch.fileName()).put("sha256", ch.sha256())
                        .put("reason", wanting.get(ch.seq()));
            }
            if (!done.isEmpty()) {
                ObjectNode notice = JSON.createObjectNode().put("format", NOTICE_FORMAT).put("run_id", run.id())
                        .put("manifest_sha256", run.manifestSha256()).put("redelivery", n);
                notice.set("chunks", listed);
                byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(notice);
                Files.createDirectories(scratch);
                String name = DeliveryLayout.redeliveryNotice(n);
                Path local = scratch.resolve(name);
                Files.write(local, bytes);
                delivery.deliverFile(run.id(), name, local, Hashing.sha256Hex(bytes));
                Files.deleteIfExists(local);
                Files.deleteIfExists(scratch);
            }
            // what an interrupted earlier attempt of this redelivery left (temporary names are never reused)
            destination.removeAbandonedTemporaries(runDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the redelivery notice in " + scratch, e);
        } catch (DeliveryException e) {
            throw new RunFailure("redelivered, but cannot remove temporaries in " + runDirectory + ": "
                    + e.getMessage(), e);
        }
        return new Outcome(done, impossible);
    }

    /** Whether {@code keeper} (null: none) is a worker other than {@code me}. */
    private static boolean keptElsewhere(String keeper, String me) {
        return keeper != null && !keeper.equals(me);
    }

    private static boolean holdsSealedBytes(Destination destination, String path, String sha256)
            throws RunFailure {
        try {
            if (destination.stat(path).isEmpty()) {
                return false;
            }
            try (InputStream in = destination.open(path)) {
                return Hashing.digest(in).sha256().equals(sha256);
            }
        } catch (DeliveryException | IOException e) {
            throw new RunFailure("cannot read back " + path + ": " + e.getMessage(), e);
        }
    }
}
