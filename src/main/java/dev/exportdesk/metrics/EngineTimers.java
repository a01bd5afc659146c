package dev.exportdesk.metrics;

import dev.exportdesk.engine.EngineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The engine's timings in this process, as Micrometer meters tagged by contract name only (a
 * bounded set: the contracts in the store), never by run or by anything read from a source.
 */
public final class EngineTimers implements EngineListener {
    private final MeterRegistry registry;

    public EngineTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void chunkSealed(String contract, long rows, long bytes, Duration took) {
        Timer.builder("exportdesk.chunk.seal").description("Time from a chunk's first row to its seal, in this process")
                .tag("contract", contract).register(registry).record(took);
    }

    @Override
    public void chunkDelivered(String contract, Duration took) {
        Timer.builder("exportdesk.chunk.delivery").description("Time to deliver a sealed chunk, retries included, "
                + "in this process").tag("contract", contract).register(registry).record(took);
    }

    @Override
    public void deliveryRetried(String contract) {
        Counter.builder("exportdesk.process.delivery.retries").description("Delivery attempts retried in this process")
                .tag("contract", contract).register(registry).increment();
    }
}
