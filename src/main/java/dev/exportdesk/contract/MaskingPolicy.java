package dev.exportdesk.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a partner may see of each row: per-column transforms ({@code masking.columns}), the vault
 * secret that keys {@code hmac_sha256} for this partner, and the {@code row_filter}. Columns not
 * named are delivered as they are.
 */
public record MaskingPolicy(Map<String, ColumnMask> columns, String hmacSecret, RowFilter rowFilter) {
    public static final MaskingPolicy NONE = new MaskingPolicy(Map.of(), null, RowFilter.NONE);

    public MaskingPolicy {
        columns = java.util.Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    public boolean isEmpty() {
        return columns.isEmpty() && rowFilter.isEmpty();
    }

    public ColumnMask of(String column) {
        return columns.get(column);
    }

    /**
     * The policy's provenance for manifests: the SHA-256 of its canonical JSON (transforms, the key's
     * secret name and the filter, as {@code ContractCodec} writes them), so a partner can tell which
     * policy shaped a run. The key's value is not part of it.
     */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(MaskingCodec.canonical(this).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
