package dev.exportdesk.chunk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.contract.CsvDialect;
import java.util.List;

/**
 * The record of one completed run as delivered to the partner ({@code manifest.json}); see
 * docs/delivery-format.md. Manifests of a contract chain through {@code previousManifestSha256}.
 * {@code encryption} is {@link #OPENPGP} when the chunks are encrypted to the partner, else null;
 * {@code maskingPolicySha256} the fingerprint of the masking policy and row filter that shaped the
 * rows (provenance: which policy the partner's copy follows), else null; {@code schemaChange} the
 * notice that this run's columns grew since the partner's last manifest ({@link SchemaChangeNotice}), else null.
 * {@code csv} is the CSV dialect when it is not the default (null otherwise), so a partner can read the files;
 * {@code runDirectory} the run folder under the destination root when the contract's path template
 * is not the default (null otherwise), so a partner can tell a moved run from one where it belongs.
 * {@code resendFrom} is the leading cursor value a re-send ({@code mode: "resend"}) starts at, else null: the
 * run sends again every row from it up to the previous run's end, then what changed since.
 */
public record Manifest(String format, String contract, int contractVersion, String partner, String runId,
                       long sequence, String mode, String createdAt, String previousManifestSha256,
                       JsonNode upperBound, String fileFormat, String compression, List<String> columns,
                       List<String> keyColumns, List<String> cursorColumns, long rows, List<ChunkEntry> chunks,
                       String encryption, String maskingPolicySha256, SchemaChangeNotice schemaChange,
                       CsvDialect csv, String runDirectory, JsonNode resendFrom) {
    public static final String FORMAT = "exportdesk-manifest/1";
    public static final String FILE_NAME = "manifest.json";
    public static final String SUMS_FILE_NAME = "SHA256SUMS";
    public static final String OPENPGP = "openpgp";

    public Manifest {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        cursorColumns = List.copyOf(cursorColumns);
        chunks = List.copyOf(chunks);
    }

    public Manifest(String format, String contract, int contractVersion, String partner, String runId, long sequence,
                    String mode, String createdAt, String previousManifestSha256, JsonNode upperBound,
                    String fileFormat, String compression, List<String> columns, List<String> keyColumns,
                    List<String> cursorColumns, long rows, List<ChunkEntry> chunks) {
        this(format, contract, contractVersion, partner, runId, sequence, mode, createdAt, previousManifestSha256,
                upperBound, fileFormat, compression, columns, keyColumns, cursorColumns, rows, chunks, null, null, null,
                null, null, null);
    }

    /** The dialect the CSV chunks are spelled in. */
    public CsvDialect csvDialect() {
        return csv == null ? CsvDialect.DEFAULT : csv;
    }

    /** Whether the chunk files are OpenPGP messages (their content is checked by decrypting them). */
    public boolean encrypted() {
        return OPENPGP.equals(encryption);
    }
}
