package dev.exportdesk.transfer;

import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.contract.FolderDestinationSpec;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.SftpDestinationSpec;
import java.nio.file.Path;

/** Builds the destination a contract names. New transports add a case here. */
public final class Destinations {
    private Destinations() {
    }

    public static Destination open(DestinationSpec spec, TransferEnvironment env) {
        if (spec instanceof FolderDestinationSpec folder) {
            return new FolderDestination(Path.of(folder.path()));
        }
        if (spec instanceof SftpDestinationSpec sftp) {
            return new SftpDestination(sftp, env);
        }
        if (spec instanceof S3DestinationSpec s3) {
            return new S3Destination(s3, env);
        }
        throw new IllegalArgumentException("unsupported destination type: " + spec.type());
    }
}
