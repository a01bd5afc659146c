package dev.exportdesk.engine.delivery;

import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.Destinations;
import dev.exportdesk.transfer.TransferEnvironment;

/**
 * Opens a contract's destination the one way the engine does everywhere — runs, verification,
 * receipts, probes, the console: workspace secrets, the state-store multipart journal and the
 * workspace's known_hosts.
 */
public final class EngineDestinations {
    private EngineDestinations() {
    }

    public static Destination open(EngineContext ctx, DestinationSpec spec) {
        return Destinations.open(spec, new TransferEnvironment(ctx.secrets(), new StoreUploadJournal(ctx),
                ctx.knownHosts()));
    }
}
