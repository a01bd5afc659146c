package dev.exportdesk.transfer;

import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.contract.FolderDestinationSpec;
import java.nio.file.Path;

/** Builds the destination a contract names. New transports add a case here. */
public final class Destinations {
    private Destinations() {
    }

    public static Destination open(DestinationSpec spec) {
        if (spec instanceof FolderDestinationSpec folder) {
            return new FolderDestination(Path.of(folder.path()));
        }
        throw new IllegalArgumentException("unsupported destination type: " + spec.type());
    }
}
