package dev.exportdesk.contract;

/** A partner drop folder on a local or mounted file system; {@code path} is absolute. */
public record FolderDestinationSpec(String path, TransferPolicy policy) implements DestinationSpec {
    public FolderDestinationSpec(String path) {
        this(path, TransferPolicy.DEFAULT);
    }

    @Override
    public String type() {
        return "folder";
    }

    @Override
    public String describe() {
        return "folder " + path;
    }
}
