package dev.exportdesk.engine.delivery;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.TransferProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * {@code destination test}: connects to a contract's destination, writes a probe file, reads it
 * back, checks its hash and deletes it, timing each step. The probe lives under
 * {@value #PROBE_DIR}/ so it never collides with a delivery.
 */
public final class DestinationProbe {
    public static final String PROBE_DIR = "exportdesk-probe";
    private final EngineContext ctx;
    private final ContractService contracts;

    public DestinationProbe(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    /** What the probe measured. {@code error} is null on success. */
    public record Result(String destination, Duration connect, Duration write, Duration read, Duration delete,
                         long bytes, boolean hashMatched, String error) {
        public double writeMiBps() {
            return write.isZero() ? 0 : bytes / 1048576.0 / (write.toNanos() / 1e9);
        }
    }

    /** Audited ({@code destination.test}): a probe sends the destination's credentials to it. */
    public Result test(String contractName, int probeBytes) {
        Contract contract = contracts.load(contractName).contract();
        return test(contractName, contract.destination(), probeBytes);
    }

    /** Probes {@code spec}; {@code subject} names it in the audit entry (a contract, or "destination NAME"). */
    Result test(String subject, DestinationSpec spec, int probeBytes) {
        ctx.store().updateDurably(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(), "destination.test",
                subject, null, null));
        Path probe;
        byte[] data = new byte[probeBytes];
        new SecureRandom().nextBytes(data);
        try {
            probe = Files.createTempFile(ctx.stagingDir(), "probe-", ".bin");
            Files.write(probe, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = PROBE_DIR + "/probe-" + System.currentTimeMillis() + ".bin";
        String sha = Hashing.sha256Hex(data);
        Duration connect = Duration.ZERO;
        Duration write = Duration.ZERO;
        Duration read = Duration.ZERO;
        Duration delete = Duration.ZERO;
        boolean matched = false;
        try (Destination d = EngineDestinations.open(ctx, spec)) {
            long t = System.nanoTime();
            d.list(PROBE_DIR);
            connect = since(t);
            t = System.nanoTime();
            d.put(name, probe, sha, new TransferProgress());
            write = since(t);
            t = System.nanoTime();
            try (InputStream in = d.open(name)) {
                matched = Hashing.digest(in).sha256().equals(sha);
            }
            read = since(t);
            t = System.nanoTime();
            d.delete(name);
            delete = since(t);
            return new Result(d.describe(), connect, write, read, delete, probeBytes, matched,
                    matched ? null : "the probe read back with a different hash");
        } catch (DeliveryException | IOException e) {
            return new Result(spec.describe(), connect, write, read, delete, probeBytes, matched,
                    e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // staging is swept later
            }
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
