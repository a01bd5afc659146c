package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.RunFailure;

/** A run's OpenPGP keys (docs/contracts.md, "OpenPGP"), read when it starts to seal or to finish. */
final class RunCipher {
    private RunCipher() {
    }

    /**
     * The contract's cipher now, or null when it does not encrypt. A key that expired since import, or
     * a signing secret that is gone or no longer unlocks, fails the run before anything is sealed.
     */
    static ChunkCipher of(EngineContext ctx, Contract contract) throws RunFailure {
        try {
            return ChunkCipher.of(contract, ctx.secrets().openPgp(contract.partner()), ctx.now());
        } catch (RuntimeException e) {
            throw new RunFailure("OpenPGP: " + e.getMessage(), e);
        }
    }

    /** For the manifest's signature once every chunk is sealed ({@link ChunkCipher#forFinishing}). */
    static ChunkCipher forFinishing(EngineContext ctx, Contract contract) throws RunFailure {
        try {
            return ChunkCipher.forFinishing(contract, ctx.secrets().openPgp(contract.partner()), ctx.now());
        } catch (RuntimeException e) {
            throw new RunFailure("OpenPGP: " + e.getMessage(), e);
        }
    }
}
