package dev.exportdesk.contract;

/** Where chunks go. New transports (SFTP, S3) add a record here and a case in the parser. */
public sealed interface DestinationSpec permits FolderDestinationSpec, SftpDestinationSpec, S3DestinationSpec,
        NamedDestinationSpec {
    String type();

    /** A human-readable target, without secrets, for status lines and audit entries. */
    String describe();

    /** Timeouts, stall detection and acknowledgement deadline; folders use the defaults. */
    default TransferPolicy policy() {
        return TransferPolicy.DEFAULT;
    }
}
