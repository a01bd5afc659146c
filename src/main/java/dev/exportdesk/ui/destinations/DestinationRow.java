package dev.exportdesk.ui.destinations;

import dev.exportdesk.engine.delivery.DestinationService;
import java.util.List;

/** One named destination as the table shows it: where it points, never a credential. */
public record DestinationRow(DestinationService.Definition definition, List<String> usedBy) {

    static DestinationRow of(DestinationService.Usage u) {
        return new DestinationRow(u.destination(), u.contracts());
    }

    public String name() {
        return definition.name();
    }

    public String type() {
        return definition.spec().type();
    }

    public String target() {
        return definition.spec().describe();
    }

    public String usedByText() {
        return usedBy.isEmpty() ? "no contract" : String.join(", ", usedBy);
    }
}
