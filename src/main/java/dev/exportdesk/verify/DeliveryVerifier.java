package dev.exportdesk.verify;

import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.chunk.Sha256Sums;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.ledger.LedgerProofs;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.transfer.RemoteFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-reads a delivered run from its destination and checks it against its manifest: the manifest's
 * own hash (when the expected one is known), every chunk's size, SHA-256, content SHA-256 and row
 * count, SHA256SUMS, and that no unlisted file sits in the run directory.
 *
 * <p>Chunks encrypted to the partner ({@code "encryption": "openpgp"}) cannot be opened here: we hold
 * no partner key. Their delivered bytes are checked against the ciphertext's size and SHA-256 in the
 * manifest; their content SHA-256 and row count were fixed at seal, in the same pass that produced
 * the ciphertext, so identical ciphertext means identical content. The partner's verifier, given the
 * partner's key, decrypts and checks the content itself.
 */
public final class DeliveryVerifier {
    /** How a chunk check's detail says the file's bytes are not a valid stream of its compression. */
    public static final String DOES_NOT_DECOMPRESS = "does not decompress";
    private final Scratch scratch;

    /** {@code scratch}: where a Parquet chunk is read back (its footer comes last). */
    public DeliveryVerifier(Scratch scratch) {
        this.scratch = scratch;
    }

    /** {@code steps}: told of each chunk checked, and may stop the check between chunks. */
    public DeliveryReport verify(Destination destination, String runDirectory, String expectedManifestSha256,
                                 VerifySteps steps) {
        List<Check> checks = new ArrayList<>();
        String manifestPath = runDirectory + "/" + Manifest.FILE_NAME;
        Manifest manifest;
        try {
            byte[] bytes = readAll(destination, manifestPath);
            String sha = Hashing.sha256Hex(bytes);
            if (expectedManifestSha256 != null && !expectedManifestSha256.equals(sha)) {
                checks.add(Check.fail(Manifest.FILE_NAME, "sha256 is " + sha + ", the state store recorded "
                        + expectedManifestSha256 + " (the manifest was changed after delivery)"));
            }
            manifest = ManifestCodec.read(bytes);
            if (expectedManifestSha256 == null || expectedManifestSha256.equals(sha)) {
                checks.add(Check.pass(Manifest.FILE_NAME, "sha256 " + sha));
            }
        } catch (DeliveryException | IOException e) {
            checks.add(Check.fail(Manifest.FILE_NAME, "unreadable: " + e.getMessage()));
            return new DeliveryReport(runDirectory, checks);
        }
        FileFormat format = new FileFormat(OutputFormat.valueOf(manifest.fileFormat().toUpperCase(java.util.Locale.ROOT)),
                manifest.csvDialect());
        Compression compression = Compression.valueOf(manifest.compression().toUpperCase(java.util.Locale.ROOT));
        int total = manifest.chunks().size();
        int done = 0;
        steps.chunksDone(done, total);
        for (ChunkEntry chunk : manifest.chunks()) {
            checks.add(manifest.encrypted() ? verifyCiphertext(destination, runDirectory + "/" + chunk.file(), chunk)
                    : verifyChunk(destination, runDirectory + "/" + chunk.file(), chunk, format, compression));
            steps.chunksDone(++done, total);
        }
        checks.add(verifySums(destination, runDirectory, manifest));
        checks.addAll(unexpectedFiles(destination, runDirectory, manifest));
        return new DeliveryReport(runDirectory, checks);
    }

    /**
     * Hashes every byte at the destination even when they do not decompress (a damaged or foreign
     * file), so the check names the file's SHA-256 in either case; only a file that is missing or
     * cannot be read to its end there has none.
     */
    private Check verifyChunk(Destination destination, String path, ChunkEntry chunk, FileFormat format,
                                     Compression compression) {
        try {
            if (destination.stat(path).isEmpty()) {
                return Check.fail(chunk.file(), "missing at the destination");
            }
            MessageDigest fileDigest = Hashing.sha256();
            MessageDigest contentDigest = Hashing.sha256();
            long rows = 0;
            String undecodable = null;
            CountingInputStream counted;
            try (InputStream raw = destination.open(path);
                 CountingInputStream c = new CountingInputStream(new DigestInputStream(raw, fileDigest))) {
                counted = c;
                try (InputStream content = new DigestInputStream(Codecs.content(new KeepOpen(c), format.type(), compression,
                        Math.max(0, chunk.bytes()), scratch),
                        contentDigest)) {
                    rows = RecordCounter.count(content, format);
                } catch (IOException | RuntimeException e) {
                    if (c.readFailure() != null) {
                        throw c.readFailure(); // the destination could not deliver the bytes
                    }
                    undecodable = e.getMessage();
                }
                c.drain();
            }
            String sha = Hashing.hex(fileDigest.digest());
            List<String> problems = new ArrayList<>();
            if (counted.count() != chunk.bytes()) {
                problems.add("size " + counted.count() + " bytes, manifest says " + chunk.bytes());
            }
            if (!sha.equals(chunk.sha256())) {
                problems.add("sha256 " + sha + ", manifest says " + chunk.sha256());
            }
            if (undecodable != null) {
                problems.add(DOES_NOT_DECOMPRESS + " as " + compression.name().toLowerCase(java.util.Locale.ROOT)
                        + ": " + undecodable);
                return new Check(chunk.file(), false, String.join("; ", problems), sha);
            }
            String contentSha = Hashing.hex(contentDigest.digest());
            if (!contentSha.equals(chunk.contentSha256())) {
                problems.add("content sha256 " + contentSha + ", manifest says " + chunk.contentSha256());
            }
            if (rows != chunk.rows()) {
                problems.add(rows + " rows, manifest says " + chunk.rows());
            }
            return new Check(chunk.file(), problems.isEmpty(), problems.isEmpty()
                    ? chunk.rows() + " rows, sha256 " + sha : String.join("; ", problems), sha);
        } catch (DeliveryException | IOException | RuntimeException e) {
            return Check.fail(chunk.file(), "unreadable or truncated: " + e.getMessage());
        }
    }

    /** An encrypted chunk: its delivered bytes against the ciphertext's size and SHA-256. */
    private static Check verifyCiphertext(Destination destination, String path, ChunkEntry chunk) {
        try {
            if (destination.stat(path).isEmpty()) {
                return Check.fail(chunk.file(), "missing at the destination");
            }
            MessageDigest fileDigest = Hashing.sha256();
            long count;
            try (InputStream raw = destination.open(path);
                 CountingInputStream c = new CountingInputStream(new DigestInputStream(raw, fileDigest))) {
                c.drain();
                count = c.count();
            }
            String sha = Hashing.hex(fileDigest.digest());
            List<String> problems = new ArrayList<>();
            if (count != chunk.bytes()) {
                problems.add("size " + count + " bytes, manifest says " + chunk.bytes());
            }
            if (!sha.equals(chunk.sha256())) {
                problems.add("sha256 " + sha + ", manifest says " + chunk.sha256());
            }
            return new Check(chunk.file(), problems.isEmpty(), problems.isEmpty() ? chunk.rows() + " rows, sha256 "
                    + sha + " (encrypted to the partner: the ciphertext is checked; its content was hashed at seal)"
                    : String.join("; ", problems), sha);
        } catch (DeliveryException | IOException | RuntimeException e) {
            return Check.fail(chunk.file(), "unreadable or truncated: " + e.getMessage());
        }
    }

    private static Check verifySums(Destination destination, String runDirectory, Manifest manifest) {
        try {
            Map<String, String> sums = Sha256Sums.read(readAll(destination, runDirectory + "/" + Manifest.SUMS_FILE_NAME));
            List<String> problems = new ArrayList<>();
            for (ChunkEntry c : manifest.chunks()) {
                String listed = sums.get(c.file());
                if (!c.sha256().equals(listed)) {
                    problems.add(c.file() + (listed == null ? " not listed" : " listed as " + listed));
                }
            }
            Set<String> chunks = new HashSet<>();
            manifest.chunks().forEach(c -> chunks.add(c.file()));
            for (Map.Entry<String, String> e : sums.entrySet()) {
                String file = e.getKey();
                if (chunks.contains(file)) {
                    continue;
                }
                // issue 11: the ledger files are listed too (runs delivered before list chunks only)
                if (!file.equals(LedgerProofs.CHECKPOINT_FILE_NAME) && !file.equals(LedgerProofs.FILE_NAME)) {
                    problems.add("lists " + file + ", which is no file of the run");
                } else {
                    String sha = Hashing.sha256Hex(readAll(destination, runDirectory + "/" + file));
                    if (!sha.equals(e.getValue())) {
                        problems.add(file + " listed as " + e.getValue() + ", delivered " + sha);
                    }
                }
            }
            return problems.isEmpty() ? Check.pass(Manifest.SUMS_FILE_NAME, "agrees with the manifest")
                    : Check.fail(Manifest.SUMS_FILE_NAME, String.join("; ", problems));
        } catch (DeliveryException | IOException e) {
            return Check.fail(Manifest.SUMS_FILE_NAME, "unreadable: " + e.getMessage());
        }
    }

    private static List<Check> unexpectedFiles(Destination destination, String runDirectory, Manifest manifest) {
        Set<String> expected = new HashSet<>();
        manifest.chunks().forEach(c -> expected.add(c.file()));
        expected.add(Manifest.FILE_NAME);
        expected.add(Manifest.SUMS_FILE_NAME);
        expected.add(LedgerProofs.CHECKPOINT_FILE_NAME); // issue 5: delivered with every run
        expected.add(LedgerProofs.FILE_NAME);
        List<Check> out = new ArrayList<>();
        try {
            for (RemoteFile f : destination.list(runDirectory)) {
                String name = f.path().substring(f.path().lastIndexOf('/') + 1);
                if (!expected.contains(name) && !name.startsWith(Manifest.FILE_NAME)
                        && !DeliveryLayout.isRedeliveryNotice(name)) {
                    out.add(Check.fail(name, "not listed in the manifest"));
                }
            }
        } catch (DeliveryException e) {
            out.add(Check.fail(runDirectory, "cannot list: " + e.getMessage()));
        }
        return out;
    }

    /** The manifest, SHA256SUMS and the ledger files are small; a partner-side file past this is refused unread. */
    private static final int MAX_METADATA_BYTES = 64 << 20;

    private static byte[] readAll(Destination destination, String path) throws DeliveryException, IOException {
        try (InputStream in = destination.open(path)) {
            byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
            if (bytes.length > MAX_METADATA_BYTES) {
                throw new IOException(path + " is over the " + MAX_METADATA_BYTES + "-byte limit");
            }
            return bytes;
        }
    }

    /** Lets a decompressor be closed (its native buffers freed) while the file stream is still drained. */
    private static final class KeepOpen extends java.io.FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the file stream is closed by its owner, after the remaining bytes are hashed
        }
    }

    /**
     * Counts bytes read and can drain trailing bytes a decompressor did not need; remembers a read
     * failure of the file itself, so it is not mistaken for bytes that do not decompress.
     */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;
        private IOException readFailure;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                readFailure = e;
                throw e;
            }
            if (n > 0) {
                count += n;
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) > 0) {
                // consume the rest so the file hash covers every byte
            }
        }

        long count() {
            return count;
        }

        IOException readFailure() {
            return readFailure;
        }
    }
}
