package dev.exportdesk.transfer;

/** A file as a destination reports it: path relative to the destination root, and size. */
public record RemoteFile(String path, long size) {
}
