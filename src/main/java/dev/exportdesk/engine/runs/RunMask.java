package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.source.SourceSchema;

/** A run's masking (docs/contracts.md, "Masking and row filters"), with the partner's key read when it starts. */
final class RunMask {
    private RunMask() {
    }

    /** A key secret that is gone, rebound to another scope or too short fails the run before anything is sealed. */
    static RowMask of(EngineContext ctx, Contract contract, SourceSchema schema) throws RunFailure {
        try {
            return RowMask.of(contract, schema, ctx.secrets().masking(contract.partner()));
        } catch (RuntimeException e) {
            throw new RunFailure("masking: " + e.getMessage(), e);
        }
    }
}
