package dev.exportdesk.access;

import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import dev.exportdesk.engine.delivery.DestinationService;
import java.util.List;

/**
 * Named destinations, for one signed-in user: everyone who reads sees them (secret names only, never
 * a value), administrators add, change, remove and test them: where a credential may be sent is theirs.
 */
public final class DestinationsGuard {
    private final Session checks;
    private final DestinationService destinations;

    DestinationsGuard(Session checks, DestinationService destinations) {
        this.checks = checks;
        this.destinations = destinations;
    }

    /** Each destination with the contracts naming it, for the Destinations screen and the editor's picker. */
    public List<DestinationService.Usage> destinationUsage() {
        checks.require(Permission.READ, "list destinations");
        return destinations.usage();
    }

    /** Why a definition could not be saved, as "field: message", checked as an administrator types. */
    public List<String> destinationProblems(String name, String specJson, Credentials credentials) {
        checks.require(Permission.MANAGE_DESTINATIONS, "check destination " + name);
        return destinations.problems(name, specJson, credentials);
    }

    public void addDestination(String name, String specJson, Credentials credentials) {
        checks.require(Permission.MANAGE_DESTINATIONS, "add destination " + name);
        destinations.add(name, specJson, credentials);
    }

    public void changeDestination(String name, String specJson, Credentials credentials) {
        checks.require(Permission.MANAGE_DESTINATIONS, "change destination " + name);
        destinations.change(name, specJson, credentials);
    }

    public void removeDestination(String name) {
        checks.require(Permission.MANAGE_DESTINATIONS, "remove destination " + name);
        destinations.remove(name);
    }

    /** Probes a stored destination (call off the UI thread); audited as {@code destination.test}. */
    public DestinationProbe.Result testDestination(String name) {
        checks.require(Permission.MANAGE_DESTINATIONS, "test destination " + name);
        return destinations.test(name, 64 * 1024);
    }
}
