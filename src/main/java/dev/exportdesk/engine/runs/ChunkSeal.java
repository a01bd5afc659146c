package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.ChunkSizer;
import dev.exportdesk.chunk.ChunkWriter;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.chunk.SealedChunk;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.delivery.StagedChunks;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.store.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The steps of a numbered chunk's life that every capture shares (the cursor's and the log's):
 * planned in the store and written under a scratch name of its own, recorded as sealed, then
 * counted and handed to delivery. What each capture records beside the seal stays its own.
 */
final class ChunkSeal {
    /** A chunk being written: where (its scratch name in staging) and by what. */
    record Opened(String scratch, ChunkWriter writer) {
    }

    private ChunkSeal() {
    }

    /** Plans chunk {@code seq} as {@code file} and opens its writer under a scratch name of this lease's epoch. */
    static Opened open(EngineContext cx, RunRecord run, Contract contract, int seq, String file, Path staging,
                       byte[] header, ChunkCipher cipher, RowMask mask) throws IOException {
        cx.store().update(c -> cx.store().chunks().plan(c, run.id(), seq, file, cx.now()));
        String scratch = StagedChunks.scratchName(cx.store().lease(), file);
        return new Opened(scratch, new ChunkWriter(staging.resolve(scratch), contract, mask, header, cipher));
    }

    /** The chunk's row as sealed: its bytes' sizes and hashes and the range it holds ({@code from}..{@code to}). */
    static ChunkRecord record(RunRecord run, int seq, String file, SealedChunk sealed, String from, String to,
                              ScanPhase phase, String schemaFingerprint, Instant now) {
        return record(run, seq, file, sealed, from, to, phase, schemaFingerprint, now, false);
    }

    /** As above; {@code truncateFirst}: a stream chunk that begins with a TRUNCATE of the table. */
    static ChunkRecord record(RunRecord run, int seq, String file, SealedChunk sealed, String from, String to,
                              ScanPhase phase, String schemaFingerprint, Instant now, boolean truncateFirst) {
        return new ChunkRecord(run.id(), seq, ChunkState.PACKAGED, file, sealed.rows(), sealed.deletes(),
                sealed.bytes(), sealed.contentBytes(), sealed.sha256(), sealed.contentSha256(), from, to, phase,
                schemaFingerprint, 0, null, now, truncateFirst);
    }

    /**
     * Opens the writer of a sealed chunk whose bytes are nowhere (its staged copy was on another
     * machine), to capture it again: never at its delivery name until it is done, so that a kill
     * mid-write leaves nothing a later attempt would take for the staged copy.
     */
    static Opened reopen(EngineContext cx, Contract contract, ChunkRecord ch, Path staging, byte[] header,
                         ChunkCipher cipher, RowMask mask) throws IOException {
        Files.createDirectories(staging);
        String scratch = cx.store().lease().isPresent()
                ? StagedChunks.scratchName(cx.store().lease(), ch.fileName()) : ch.fileName() + ".recapture";
        return new Opened(scratch, new ChunkWriter(staging.resolve(scratch), contract, mask, header, cipher));
    }

    /**
     * Ends the capture again of sealed chunk {@code ch} into {@code scratch}. The same bytes: the
     * chunk is delivered as sealed. Other bytes (rows changed since, or OpenPGP's fresh ciphertext):
     * re-sealed under the same number and name — new hashes and counts, {@code cursorFrom}, its row
     * digest {@code digestHex}, and whatever {@code also} records with it — in one fenced transaction
     * that succeeds only while the chunk still holds its old hash and is undelivered. Audited
     * {@code chunk.recaptured} with both hashes either way; returns the record to deliver.
     */
    static ChunkRecord recaptured(EngineContext cx, RunRecord run, ChunkRecord ch, Path staging, String scratch,
                                  SealedChunk sealed, String cursorFrom, String digestHex,
                                  StateStore.TxAction also) throws IOException {
        Instant now = cx.now();
        String subject = run.id() + "#" + ch.seq();
        if (sealed.sha256().equals(ch.sha256())) {
            cx.store().update(c -> cx.store().audit().append(c, now, cx.actor(), "chunk.recaptured", subject,
                    ch.sha256(), sealed.sha256()));
            StagedChunks.publish(staging, scratch, ch.fileName());
            return ch;
        }
        // the range ends where it always did: the next chunk's range starts there
        ChunkRecord record = new ChunkRecord(run.id(), ch.seq(), ChunkState.PACKAGED, ch.fileName(), sealed.rows(),
                sealed.deletes(), sealed.bytes(), sealed.contentBytes(), sealed.sha256(), sealed.contentSha256(),
                cursorFrom, ch.cursorTo(), ch.scanPhase(), ch.schemaFingerprint(), 0, null, now, ch.truncateFirst(),
                ch.segment());
        cx.store().update(c -> {
            cx.store().chunks().reseal(c, record, ch.sha256(), now);
            cx.store().reconciliations().recordRowDigest(c, run.id(), ch.seq(), digestHex);
            also.apply(c);
            cx.store().runs().heartbeat(c, run.id(), now);
            cx.store().audit().append(c, now, cx.actor(), "chunk.recaptured", subject, ch.sha256(), sealed.sha256());
        });
        StagedChunks.publish(staging, scratch, ch.fileName());
        return record;
    }

    /** After the seal is recorded and the file published: the sizer and metrics learn of it, delivery takes it. */
    static void handOver(EngineContext cx, Contract contract, ChunkRecord record, SealedChunk sealed,
                         long startedNanos, ChunkSizer sizer, DeliveryPool delivery)
            throws RunFailure, InterruptedException {
        long took = System.nanoTime() - startedNanos;
        sizer.observe(sealed.rows(), took);
        cx.events().chunkSealed(contract.name(), sealed.rows(), sealed.bytes(), Duration.ofNanos(took));
        delivery.submit(record);
    }
}
