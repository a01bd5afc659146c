package dev.exportdesk.transfer;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One interface for every transport (folder now; SFTP and S3 plug in here). Paths are relative,
 * '/'-separated, and every segment is allow-listed. Contract for implementations:
 * <ul>
 *   <li>{@link #put} is atomic: the partner sees the whole file under its final name or nothing;</li>
 *   <li>{@link #put} is idempotent: the same bytes again are a no-op, different bytes are refused;</li>
 *   <li>temporary uploads carry a recognisable name and can be swept by {@link #removeAbandonedTemporaries}.</li>
 * </ul>
 */
public interface Destination extends AutoCloseable {

    void put(String path, Path localFile, String sha256) throws DeliveryException;

    Optional<RemoteFile> stat(String path) throws DeliveryException;

    InputStream open(String path) throws DeliveryException;

    /** Files directly inside {@code directory} (temporary uploads excluded). */
    List<RemoteFile> list(String directory) throws DeliveryException;

    void delete(String path) throws DeliveryException;

    /** Deletes temporary uploads left in {@code directory} by interrupted attempts; returns how many. */
    int removeAbandonedTemporaries(String directory) throws DeliveryException;

    String describe();

    @Override
    void close();
}
