package dev.exportdesk.contract;

/**
 * An S3-compatible bucket. {@code endpoint} (optional) points at a non-AWS store, usually with
 * {@code pathStyle}; keys are written under {@code prefix}. Credentials are {@link SecretRef}s.
 * An {@code http://} endpoint sends credentials' signatures and every chunk in clear, so it is only
 * accepted when the contract says so with {@code allowInsecureHttp}.
 */
public record S3DestinationSpec(String endpoint, String region, String bucket, String prefix, boolean pathStyle,
                                SecretRef accessKeyId, SecretRef secretAccessKey, TransferPolicy policy,
                                boolean allowInsecureHttp)
        implements DestinationSpec {
    /** Whether data and request signatures travel unencrypted. */
    public boolean insecureHttp() {
        return endpoint != null && endpoint.regionMatches(true, 0, "http:", 0, 5);
    }

    @Override
    public String type() {
        return "s3";
    }

    @Override
    public String describe() {
        return "s3 " + (endpoint == null ? "" : endpoint + " ") + "bucket " + bucket
                + (prefix.isEmpty() ? "" : " prefix " + prefix);
    }
}
