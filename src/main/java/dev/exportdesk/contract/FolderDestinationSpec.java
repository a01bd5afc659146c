package dev.exportdesk.contract;

/** A partner drop folder on a local or mounted file system; {@code path} is absolute. */
public record FolderDestinationSpec(String path) implements DestinationSpec {
    @Override
    public String type() {
        return "folder";
    }

    @Override
    public String describe() {
        return "folder " + path;
    }
}
