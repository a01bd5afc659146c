package dev.exportdesk.transfer;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One interface for every transport (folder, SFTP, S3). Paths are relative,
 * '/'-separated, and every segment is allow-listed. Contract for implementations:
 * <ul>
 *   <li>{@link #put} is atomic: the partner sees the whole file under its final name or nothing;</li>
 *   <li>{@link #put} is idempotent: the same bytes again are a no-op, different bytes are refused;</li>
 *   <li>{@link #put} resumes: an interrupted upload continues from the bytes or parts the destination
 *   holds (after checking they match the local file), never from what the client believes it sent;</li>
 *   <li>temporary uploads carry a recognisable name and can be swept by {@link #removeAbandonedTemporaries}.</li>
 * </ul>
 */
public interface Destination extends AutoCloseable {

    default void put(String path, Path localFile, String sha256) throws DeliveryException {
        put(path, localFile, sha256, new TransferProgress());
    }

    /**
     * Uploads {@code localFile} (whose SHA-256 is {@code sha256}) to {@code path}, resuming from
     * what the destination already holds of an interrupted earlier attempt, and reporting bytes to
     * {@code progress} as it goes.
     */
    default void put(String path, Path localFile, String sha256, TransferProgress progress)
            throws DeliveryException {
        write(path, localFile, sha256, progress, WriteMode.CREATE);
    }

    /**
     * Puts the sealed bytes of {@code localFile} in place of a delivered {@code path} that no longer
     * holds them (a redelivery after the partner's receipt found it wanting): uploaded under a
     * temporary name first and then swapped in, so the partner never sees a mix; a no-op where the
     * destination already holds exactly these bytes.
     */
    default void replace(String path, Path localFile, String sha256, TransferProgress progress)
            throws DeliveryException {
        write(path, localFile, sha256, progress, WriteMode.REPLACE);
    }

    /** What {@link #write} may do to a file that already holds other bytes. */
    enum WriteMode {
        /** refuse (permanent error): a delivered file is never overwritten */
        CREATE,
        /** swap the new bytes in atomically */
        REPLACE
    }

    /** {@link #put} and {@link #replace}: identical bytes already there are always a no-op. */
    void write(String path, Path localFile, String sha256, TransferProgress progress, WriteMode mode)
            throws DeliveryException;

    /**
     * Opens the connection (handshake, authentication) if it is not open, within the contract's
     * connect timeout. Called before an upload so that the stall watchdog times the transfer, not
     * the handshake; a later call with the connection open is cheap.
     */
    default void connect() throws DeliveryException {
    }

    /**
     * Called from another thread (the stall watchdog): abort the transfer in flight so that
     * {@link #put} fails promptly with a transient error; the next call reconnects.
     */
    default void abort() {
    }

    Optional<RemoteFile> stat(String path) throws DeliveryException;

    InputStream open(String path) throws DeliveryException;

    /** Files directly inside {@code directory} (temporary uploads excluded). */
    List<RemoteFile> list(String directory) throws DeliveryException;

    void delete(String path) throws DeliveryException;

    /**
     * Retention: deletes {@code path} only if it is a regular file reached through real folders (a
     * link at the name or at any folder on the way is left alone, never followed). True when deleted.
     */
    default boolean deleteDelivered(String path) throws DeliveryException {
        if (stat(path).isEmpty()) {
            return false;
        }
        delete(path);
        return true;
    }

    /**
     * Retention: removes {@code directory} if it is an empty real folder; a folder still holding
     * anything (a partner's own files) stays. Object stores have no folders: nothing to do.
     */
    default void removeEmptyFolder(String directory) throws DeliveryException {
    }

    /** Deletes temporary uploads left in {@code directory} by interrupted attempts; returns how many. */
    int removeAbandonedTemporaries(String directory) throws DeliveryException;

    String describe();

    @Override
    void close();
}
