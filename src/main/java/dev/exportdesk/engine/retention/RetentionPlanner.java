package dev.exportdesk.engine.retention;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.RetentionPolicy;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.ledger.LedgerProofs;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunPrune.PrunedFile;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.RemoteFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Works out which delivered runs retention removes now (docs/contracts.md, "Retention"): a run that
 * COMPLETED longer ago than {@code retention.delivered}, never the contract's newest completed run
 * (the partner's chain head), and, when its contract version expects receipts, only once the
 * partner's receipt accepted it. Its files are the names the engine delivered, from the store's
 * chunk records and transfer log, never from a listing of the destination folder.
 */
final class RetentionPlanner {
    /** Run files whose hash the store does not keep are hashed at the destination; they are small. */
    static final long MAX_HASHED_BYTES = 64L << 20;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    static final String FROM_STORE = "store";
    static final String FROM_DESTINATION = "destination";

    private final EngineContext ctx;
    private final ContractService contracts;

    RetentionPlanner(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    /** The delivered runs of {@code contract} to prune now; kept runs past their time are added to {@code kept}. */
    List<PrunePlan.DeliveredRun> delivered(String contract, Instant now, List<PrunePlan.Kept> kept) {
        RetentionPolicy policy = contracts.load(contract).contract().retention();
        if (policy.deliveredAge().isEmpty()) {
            return List.of();
        }
        Duration age = policy.deliveredAge().get();
        List<RunRecord> completed = ctx.store().inTransaction(c -> ctx.store().runs().completedInOrder(c, contract));
        List<PrunePlan.DeliveredRun> out = new ArrayList<>();
        for (int i = 0; i < completed.size(); i++) {
            RunRecord run = completed.get(i);
            if (run.finishedAt() == null || run.finishedAt().plus(age).isAfter(now)
                    || ctx.store().inTransaction(c -> ctx.store().prunes().find(c, run.id())).isPresent()) {
                continue;
            }
            if (i == completed.size() - 1) {
                kept.add(new PrunePlan.Kept(contract, run.sequence(), run.id(), "the newest completed run: the head "
                        + "of the partner's manifest chain is always kept"));
                continue;
            }
            Contract version = contracts.load(contract, run.contractVersion()).contract();
            if (expectsReceipts(contract, version)
                    && !ctx.store().inTransaction(c -> ctx.store().prunes().receiptAccepted(c, run.id()))) {
                kept.add(new PrunePlan.Kept(contract, run.sequence(), run.id(), "the partner's receipt has not "
                        + "accepted it (see `exportdesk ack`)"));
                continue;
            }
            String directory = DeliveryLayout.runDirectory(version, run.contractVersion(), run.sequence(),
                    run.plannedAt());
            out.add(new PrunePlan.DeliveredRun(run, directory, files(run, version, directory)));
        }
        return out;
    }

    /** Receipts are expected if the run's version, or the contract as it stands, sets {@code ack_deadline}. */
    private boolean expectsReceipts(String contract, Contract version) {
        return version.destination().policy().ackDeadline() != null
                || contracts.load(contract).contract().destination().policy().ackDeadline() != null;
    }

    /** What the engine delivered for {@code run}, each with its hash: the store's where it has one. */
    private List<PrunedFile> files(RunRecord run, Contract version, String directory) {
        Map<String, PrunedFile> out = new LinkedHashMap<>();
        List<ChunkRecord> chunks = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()));
        for (ChunkRecord ch : chunks) {
            out.put(ch.fileName(), new PrunedFile(ch.fileName(), ch.sha256(), FROM_STORE));
        }
        List<String> runFiles = ctx.store().inTransaction(c -> ctx.store().prunes().deliveredRunFiles(c, run.id()));
        Optional<String> checkpoint = ctx.store().inTransaction(c -> ctx.store().ledger().checkpoint(c, run.id()))
                .map(cp -> Hashing.sha256Hex(cp.note().getBytes(StandardCharsets.UTF_8)));
        List<String> toHash = new ArrayList<>();
        for (String name : runFiles) {
            if (out.containsKey(name) || !PLAIN_NAME.matcher(name).matches()) {
                continue;
            }
            if (name.equals(Manifest.FILE_NAME) && run.manifestSha256() != null) {
                out.put(name, new PrunedFile(name, run.manifestSha256(), FROM_STORE));
            } else if (name.equals(LedgerProofs.CHECKPOINT_FILE_NAME) && checkpoint.isPresent()) {
                out.put(name, new PrunedFile(name, checkpoint.get(), FROM_STORE));
            } else {
                toHash.add(name);
            }
        }
        if (!toHash.isEmpty()) {
            try (Destination destination = EngineDestinations.open(ctx, version.destination())) {
                for (String name : toHash) {
                    hashAtDestination(destination, directory + "/" + name).ifPresent(sha ->
                            out.put(name, new PrunedFile(name, sha, FROM_DESTINATION)));
                }
            }
        }
        // the manifest first, as it was delivered last: a prune cut short leaves a folder without one,
        // which no partner tool mistakes for a complete run with chunks missing
        List<PrunedFile> ordered = new ArrayList<>();
        Optional.ofNullable(out.remove(Manifest.FILE_NAME)).ifPresent(ordered::add);
        ordered.addAll(out.values());
        return ordered;
    }

    /** The SHA-256 of a regular file the destination holds at {@code path}; empty when it holds none. */
    private static Optional<String> hashAtDestination(Destination destination, String path) {
        try {
            Optional<RemoteFile> stat = destination.stat(path);
            if (stat.isEmpty() || stat.get().size() > MAX_HASHED_BYTES) {
                return Optional.empty();
            }
            try (InputStream in = destination.open(path)) {
                return Optional.of(Hashing.digest(in).sha256());
            }
        } catch (DeliveryException | IOException e) {
            throw new DestinationUnreachableException("retention: cannot read " + path + " at " + destination.describe() + " to "
                    + "record its hash: " + e.getMessage(), e);
        }
    }
}
