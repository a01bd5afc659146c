package dev.exportdesk.contract;

/**
 * An S3-compatible bucket. {@code endpoint} (optional) points at a non-AWS store, usually with
 * {@code pathStyle}; keys are written under {@code prefix}. Credentials are {@link SecretRef}s.
 */
public record S3DestinationSpec(String endpoint, String region, String bucket, String prefix, boolean pathStyle,
                                SecretRef accessKeyId, SecretRef secretAccessKey, TransferPolicy policy)
        implements DestinationSpec {
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
