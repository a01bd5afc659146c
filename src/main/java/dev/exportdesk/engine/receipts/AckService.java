package dev.exportdesk.engine.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.PrunedRuns;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.engine.delivery.Redelivery;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.engine.delivery.StagedCopies;
import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.text.Text;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.RemoteFile;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partner acknowledgements (docs/acknowledgements.md): after loading a run the partner writes
 * {@value #ACK_FILE} next to the manifest with the run id, the manifest's SHA-256 and the SHA-256 it
 * computed for every chunk. Polling it marks chunks ACKNOWLEDGED or REDELIVER (with the reason),
 * rejects and audits bad receipts, and turns a receipt missing past the contract's deadline into a
 * visible SLO breach.
 */
public final class AckService {
    public static final String ACK_FILE = Manifest.FILE_NAME + ".ack";
    public static final String FORMAT = "exportdesk-ack/1";
    public static final long MAX_RECEIPT_BYTES = 1024 * 1024;
    /** Redeliveries of one run before a mismatch is left to a person. */
    public static final int MAX_REDELIVERIES = 3;
    /** How often {@code ack --wait} and the open console look for awaited receipts. */
    public static final long POLL_INTERVAL_SECONDS = 30;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Logger LOG = LoggerFactory.getLogger(AckService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;
    private final Redelivery redelivery;
    private final StagedCopies staged;

    public AckService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
        this.redelivery = new Redelivery(ctx);
        this.staged = new StagedCopies(ctx);
    }

    /** Looks for the run's receipt once and records the outcome, in the run's log too. */
    public Acknowledgement poll(String runRef) {
        RunRecord run = lookup.find(runRef);
        try (RunLogs.Session log = RunLogs.open(ctx, run.id())) {
            return poll(run);
        }
    }

    private Acknowledgement poll(RunRecord run) {
        PrunedRuns.refuse(ctx, run, "check the receipt of");
        Contract contract = contracts.load(run.contractName(), run.contractVersion()).contract();
        Duration window = contract.destination().policy().ackDeadline();
        if (window == null) {
            return new Acknowledgement(run.id(), AckState.NOT_EXPECTED, null, null, "contract \"" + contract.name()
                    + "\" sets no destination.ack_deadline", List.of());
        }
        if (run.state() != RunState.COMPLETED) {
            throw new EngineException("run " + run.id() + " is " + run.state() + "; receipts are checked once it "
                    + "is completed");
        }
        Optional<AckRepository.RunAck> before = ctx.store().inTransaction(c -> ctx.store().acks().run(c, run.id()));
        int redeliveries = before.map(AckRepository.RunAck::redeliveries).orElse(0);
        // after a redelivery the partner's deadline runs from the redelivery
        Instant deadline = redeliveries > 0 ? before.get().deadline() : run.finishedAt().plus(window);
        String path = DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(), run.plannedAt()) + "/" + ACK_FILE;
        Optional<byte[]> receipt;
        try (Destination d = EngineDestinations.open(ctx, contract.destination())) {
            receipt = read(d, path);
        } catch (DeliveryException e) {
            return record(run, AckState.WAITING, deadline, "cannot read the receipt yet: " + e.getMessage(), Map.of(), null,
                    null, redeliveries);
        } catch (ReceiptRejected e) {
            return record(run, AckState.REJECTED, deadline, e.getMessage(), Map.of(), "ack.reject", null, redeliveries);
        }
        if (receipt.isEmpty()) {
            boolean overdue = ctx.now().isAfter(deadline);
            return record(run, overdue ? AckState.OVERDUE : AckState.WAITING, deadline, overdue ? "no receipt " + ACK_FILE
                    + " by the deadline " + deadline + " (SLO breach)" : "no receipt yet", Map.of(),
                    overdue ? "ack.overdue" : null, null, redeliveries);
        }
        String receiptSha = Hashing.sha256Hex(receipt.get());
        if (before.isPresent() && receiptSha.equals(before.get().receiptSha256())) {
            return unchangedReceipt(run, before.get());
        }
        List<ChunkRecord> chunks = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()));
        Map<Integer, AckRepository.ChunkAck> outcome;
        try {
            outcome = check(run, chunks, receipt.get());
        } catch (ReceiptRejected e) {
            return record(run, AckState.REJECTED, deadline, e.getMessage(), Map.of(), "ack.reject", receiptSha, redeliveries);
        }
        if (outcome.values().stream().allMatch(a -> a.state() == AckState.ACKNOWLEDGED)) {
            Acknowledgement accepted = record(run, AckState.ACKNOWLEDGED, deadline, "every chunk's hash matched"
                    + (redeliveries > 0 ? " (after " + redeliveries + " redelivery(ies))" : ""), outcome,
                    "ack.accept", receiptSha, redeliveries);
            staged.release(run.id());
            return accepted;
        }
        return redeliver(run, contract, chunks, outcome, deadline, window, receiptSha, redeliveries);
    }

    /**
     * The receipt found chunks wanting: send them again (at most {@value #MAX_REDELIVERIES} times
     * per run) and wait for a fresh receipt with a new deadline; what cannot be sent again, or a
     * run past its last redelivery, stays REDELIVER for a person to decide.
     */
    private Acknowledgement redeliver(RunRecord run, Contract contract, List<ChunkRecord> chunks,
                                      Map<Integer, AckRepository.ChunkAck> outcome, Instant deadline, Duration window,
                                      String receiptSha, int redeliveries) {
        Map<Integer, String> wanting = new TreeMap<>();
        outcome.values().stream().filter(a -> a.state() != AckState.ACKNOWLEDGED)
                .forEach(a -> wanting.put(a.seq(), a.reason()));
        String bad = wanting.size() + " chunk(s) did not match";
        if (redeliveries >= MAX_REDELIVERIES) {
            return record(run, AckState.REDELIVER, deadline, bad + "; gave up after " + redeliveries + " redeliveries, a "
                    + "person must look at the destination", outcome, "ack.mismatch", receiptSha, redeliveries);
        }
        int n = redeliveries + 1;
        Redelivery.Outcome sent;
        try {
            sent = redelivery.resend(run, contract, chunks, wanting, n);
        } catch (RunFailure e) {
            return record(run, AckState.REDELIVER, deadline, bad + "; redelivery " + n + " failed and is tried again at the "
                    + "next check: " + e.getMessage(), outcome, "ack.mismatch", null, redeliveries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("redelivery of run " + run.id() + " was interrupted");
        }
        Map<Integer, AckRepository.ChunkAck> after = new HashMap<>(outcome);
        for (int seq : sent.redelivered()) {
            after.put(seq, new AckRepository.ChunkAck(seq, AckState.REDELIVERED, "sent again (redelivery " + n + "): "
                    + wanting.get(seq)));
        }
        sent.impossible().forEach((seq, why) -> after.put(seq, new AckRepository.ChunkAck(seq, AckState.REDELIVER,
                wanting.get(seq) + "; " + why)));
        if (!sent.impossible().isEmpty()) {
            return record(run, AckState.REDELIVER, deadline, bad + "; " + sent.impossible().size() + " cannot be sent again "
                    + "with identical bytes (see the chunks)", after, "ack.mismatch", receiptSha,
                    sent.redelivered().isEmpty() ? redeliveries : n);
        }
        Instant fresh = ctx.now().plus(window);
        return record(run, AckState.REDELIVERED, fresh, bad + "; sent again as redelivery " + n + " of " + MAX_REDELIVERIES
                + " (" + DeliveryLayout.redeliveryNotice(n) + "), waiting for a fresh receipt by " + fresh, after,
                "ack.redeliver", receiptSha, n);
    }

    /** The partner has not rewritten the receipt since it was last judged: nothing new to judge. */
    private Acknowledgement unchangedReceipt(RunRecord run, AckRepository.RunAck before) {
        if (before.redeliveries() > 0 && (before.state() == AckState.REDELIVERED || before.state() == AckState.OVERDUE)) {
            boolean overdue = ctx.now().isAfter(before.deadline());
            return record(run, overdue ? AckState.OVERDUE : AckState.REDELIVERED, before.deadline(), overdue
                    ? "no fresh receipt after redelivery " + before.redeliveries() + " by the deadline "
                    + before.deadline() + " (SLO breach)" : "waiting for a fresh receipt after redelivery "
                    + before.redeliveries(), Map.of(), overdue ? "ack.overdue" : null, before.receiptSha256(),
                    before.redeliveries());
        }
        return current(run.id()).orElseThrow();
    }

    /**
     * Polls every {@code interval} until a receipt is accepted or left for a person, or the deadline
     * passes; chunks a receipt finds wanting are sent again on the way.
     */
    public Acknowledgement await(String runRef, Duration interval) throws InterruptedException {
        while (true) {
            Acknowledgement a = poll(runRef);
            if (!a.awaitingReceipt()) {
                return a;
            }
            ctx.sleeper().sleep(interval.toMillis());
        }
    }

    /** The last recorded outcome, re-judged against the clock (a WAITING run past its deadline is OVERDUE). */
    public Optional<Acknowledgement> current(String runId) {
        return ctx.store().inTransaction(c -> load(c, runId)).map(a -> a.awaitingReceipt()
                && a.deadline() != null && ctx.now().isAfter(a.deadline())
                ? new Acknowledgement(a.runId(), AckState.OVERDUE, a.deadline(), a.checkedAt(), "no receipt by the deadline "
                + a.deadline() + " (SLO breach)", a.chunks()) : a);
    }

    /**
     * The receipt state of a completed run as {@code status} shows it, without contacting the
     * partner: the last recorded outcome, or WAITING/OVERDUE if it was never checked.
     */
    public Optional<Acknowledgement> expected(RunRecord run) {
        if (run.state() != RunState.COMPLETED || run.finishedAt() == null) {
            return Optional.empty();
        }
        Optional<Acknowledgement> recorded = current(run.id());
        if (recorded.isPresent()) {
            return recorded;
        }
        Duration window = contracts.load(run.contractName(), run.contractVersion()).contract().destination()
                .policy().ackDeadline();
        if (window == null) {
            return Optional.empty();
        }
        Instant deadline = run.finishedAt().plus(window);
        boolean overdue = ctx.now().isAfter(deadline);
        return Optional.of(new Acknowledgement(run.id(), overdue ? AckState.OVERDUE : AckState.WAITING, deadline, null,
                overdue ? "no receipt checked by the deadline " + deadline + " (SLO breach; run `exportdesk ack`)"
                        : "receipt not checked yet", List.of()));
    }

    /**
     * Receipt outcomes for one page of a run's chunk table (the console's run detail): the run-level
     * state judged as {@link #expected} does ({@code runState} null while the run is not completed)
     * and the recorded outcome of each chunk with {@code fromSeq <= seq <= toSeq}. Two indexed reads
     * (primary keys of {@code run_acks} and {@code chunk_acks}), so paging a 100,000-chunk run never
     * loads every chunk's receipt at once; never contacts the partner.
     */
    public record PageReceipts(AckState runState, Map<Integer, AckRepository.ChunkAck> chunks) {
    }

    public PageReceipts chunkReceipts(RunRecord run, int fromSeq, int toSeq) {
        PageReceipts recorded = ctx.store().inTransaction(c -> {
            Optional<AckRepository.RunAck> ack = ctx.store().acks().run(c, run.id());
            AckState state = ack.map(AckRepository.RunAck::state).orElse(null);
            Instant deadline = ack.map(AckRepository.RunAck::deadline).orElse(null);
            Map<Integer, AckRepository.ChunkAck> chunks = new HashMap<>();
            for (AckRepository.ChunkAck a : ctx.store().acks().chunks(c, run.id(), fromSeq, toSeq)) {
                chunks.put(a.seq(), a);
            }
            boolean overdue = state != null && state.awaitingReceipt() && ctx.now().isAfter(deadline);
            return new PageReceipts(overdue ? AckState.OVERDUE : state, chunks);
        });
        // outside the transaction: loading the contract takes a connection of its own
        return recorded.runState() != null ? recorded : new PageReceipts(expectedState(run), recorded.chunks());
    }

    /** Where a never-checked run stands: null (not completed), NOT_EXPECTED, WAITING or OVERDUE. */
    private AckState expectedState(RunRecord run) {
        if (run.state() != RunState.COMPLETED || run.finishedAt() == null) {
            return null;
        }
        Duration window = contracts.load(run.contractName(), run.contractVersion()).contract().destination()
                .policy().ackDeadline();
        if (window == null) {
            return AckState.NOT_EXPECTED;
        }
        return ctx.now().isAfter(run.finishedAt().plus(window)) ? AckState.OVERDUE : AckState.WAITING;
    }

    private static final class ReceiptRejected extends Exception {
        ReceiptRejected(String message) {
            super(message);
        }
    }

    private static Optional<byte[]> read(Destination d, String path) throws DeliveryException, ReceiptRejected {
        Optional<RemoteFile> stat = d.stat(path);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        if (stat.get().size() > MAX_RECEIPT_BYTES) {
            throw new ReceiptRejected("receipt " + path + " is " + stat.get().size() + " bytes, over the "
                    + MAX_RECEIPT_BYTES + "-byte limit");
        }
        try (InputStream in = d.open(path)) {
            byte[] bytes = in.readNBytes((int) MAX_RECEIPT_BYTES + 1);
            if (bytes.length > MAX_RECEIPT_BYTES) {
                throw new ReceiptRejected("receipt " + path + " is over the " + MAX_RECEIPT_BYTES + "-byte limit");
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new DeliveryException("cannot read " + path + ": " + e, false, e);
        }
    }

    private static Map<Integer, AckRepository.ChunkAck> check(RunRecord run, List<ChunkRecord> chunks, byte[] body)
            throws ReceiptRejected {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ReceiptRejected("malformed receipt: not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ReceiptRejected("malformed receipt: not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new ReceiptRejected("malformed receipt: \"format\" must be \"" + FORMAT + "\"");
        }
        String runId = root.path("run_id").asText(null);
        if (!run.id().equals(runId)) {
            throw new ReceiptRejected("receipt is for run " + partnerText(runId) + ", not " + run.id());
        }
        String manifest = root.path("manifest_sha256").asText(null);
        if (manifest == null || !SHA256.matcher(manifest).matches()) {
            throw new ReceiptRejected("malformed receipt: \"manifest_sha256\" must be 64 lowercase hex digits");
        }
        if (!manifest.equals(run.manifestSha256())) {
            throw new ReceiptRejected("receipt acknowledges manifest sha256 " + manifest + ", but run " + run.id()
                    + " delivered " + run.manifestSha256());
        }
        JsonNode list = root.path("chunks");
        if (!list.isArray()) {
            throw new ReceiptRejected("malformed receipt: \"chunks\" must be an array");
        }
        Map<String, String> partner = new HashMap<>();
        for (JsonNode n : list) {
            String file = n.path("file").asText(null);
            String sha = n.path("sha256").asText(null);
            if (file == null || sha == null || !SHA256.matcher(sha).matches()) {
                throw new ReceiptRejected("malformed receipt: each chunk needs \"file\" and a 64-hex \"sha256\"");
            }
            partner.put(file, sha);
        }
        Map<Integer, AckRepository.ChunkAck> out = new HashMap<>();
        for (ChunkRecord ch : chunks) {
            String theirs = partner.get(ch.fileName());
            if (theirs == null) {
                out.put(ch.seq(), new AckRepository.ChunkAck(ch.seq(), AckState.REDELIVER, "not listed in the receipt"));
            } else if (!theirs.equals(ch.sha256())) {
                out.put(ch.seq(), new AckRepository.ChunkAck(ch.seq(), AckState.REDELIVER, "partner computed sha256 "
                        + theirs + ", delivered " + ch.sha256()));
            } else {
                out.put(ch.seq(), new AckRepository.ChunkAck(ch.seq(), AckState.ACKNOWLEDGED, null));
            }
        }
        return out;
    }

    /** A value from the partner's receipt, quoted in a message: printable and short. */
    private static String partnerText(String value) {
        String safe = Text.safe(value);
        return safe == null || safe.length() <= 80 ? safe : safe.substring(0, 80) + "…";
    }

    private Acknowledgement record(RunRecord run, AckState state, Instant deadline, String rawDetail,
                                   Map<Integer, AckRepository.ChunkAck> chunks, String auditAction,
                                   String receiptSha256, int redeliveries) {
        Instant now = ctx.now();
        // the detail can quote the partner's receipt: it reaches logs, status, the console and reports
        String detail = Text.safeMultiline(rawDetail);
        if (auditAction != null) {
            LOG.warn("run {}: receipt {}: {}", run.id(), state, detail);
        } else if (state != AckState.WAITING) {
            // WAITING is every poll until the receipt comes: the run's log would fill with it
            LOG.info("run {}: receipt {}: {}", run.id(), state, detail);
        }
        ctx.store().updateDurably(c -> {
            Optional<Acknowledgement> before = load(c, run.id());
            ctx.store().acks().record(c, new AckRepository.RunAck(run.id(), state, deadline, now, detail, receiptSha256,
                    redeliveries), chunks.values());
            boolean repeat = before.isPresent() && before.get().state().equals(state)
                    && String.valueOf(before.get().detail()).equals(detail);
            if (auditAction != null && !repeat) {
                ctx.store().audit().append(c, now, ctx.actor(), auditAction, run.contractName() + " run "
                        + run.sequence(), before.map(a -> a.state().name()).orElse(null), detail);
            }
        });
        return current(run.id()).orElseThrow();
    }

    private Optional<Acknowledgement> load(Connection c, String runId) throws SQLException {
        Optional<AckRepository.RunAck> ack = ctx.store().acks().run(c, runId);
        if (ack.isEmpty()) {
            return Optional.empty();
        }
        AckRepository.RunAck a = ack.get();
        return Optional.of(new Acknowledgement(runId, a.state(), a.deadline(), a.checkedAt(), a.detail(),
                ctx.store().acks().chunks(c, runId)));
    }
}
