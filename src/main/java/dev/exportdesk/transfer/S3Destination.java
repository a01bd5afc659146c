package dev.exportdesk.transfer;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.secret.SecretException;
import dev.exportdesk.secret.SecretScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3-compatible bucket (AWS SDK v2, endpoint override and path-style for other stores). Small
 * files are one PUT; larger ones a multipart upload whose {uploadId, partSize, parts} are recorded
 * in the {@link UploadJournal} part by part. A resume lists the parts the store holds, keeps those
 * matching the journal (or the local bytes), uploads only the rest and completes. Every part carries
 * Content-MD5 and a SHA-256 checksum; the object carries the whole file's SHA-256 as metadata
 * ({@value #SHA256_METADATA}). Create-only: an existing object is never overwritten — a check
 * before writing, and the write itself conditional ({@code If-None-Match: *} on the PUT and on the
 * multipart completion), so an object that appears in between is not replaced where the store
 * honours the condition (AWS S3 since 2024, s3proxy 3); a refused write with our bytes there is done.
 */
public final class S3Destination implements Destination {
    public static final String SHA256_METADATA = "sha256";
    private static final Logger LOG = LoggerFactory.getLogger(S3Destination.class);

    private final S3DestinationSpec spec;
    private final TransferEnvironment env;
    private final String journalKey;
    private volatile S3Client client;

    S3Destination(S3DestinationSpec spec, TransferEnvironment env) {
        this.spec = spec;
        this.env = env;
        this.journalKey = "s3:" + (spec.endpoint() == null ? "aws" : spec.endpoint()) + "/" + spec.bucket() + "/"
                + spec.prefix();
    }

    private synchronized S3Client client() throws DeliveryException {
        S3Client c = client;
        if (c != null) {
            return c;
        }
        if (spec.insecureHttp() && !spec.allowInsecureHttp()) {
            throw new DeliveryException(spec.describe() + ": plain http needs \"allow_insecure_http\": true in the "
                    + "contract", true);
        }
        String accessKey;
        String secretKey;
        try {
            String scope = SecretScope.of(spec);
            accessKey = env.secrets().resolve(spec.accessKeyId(), scope);
            secretKey = env.secrets().resolve(spec.secretAccessKey(), scope);
        } catch (SecretException e) {
            throw new DeliveryException(spec.describe() + ": cannot read the credentials: " + e.getMessage(), true, e);
        }
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(spec.region()))
                .forcePathStyle(spec.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(spec.policy().connectTimeout())
                        .socketTimeout(spec.policy().stallTimeout()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (spec.endpoint() != null) {
            b.endpointOverride(URI.create(spec.endpoint()));
        }
        c = b.build();
        client = c;
        return c;
    }

    String key(String relative) throws DeliveryException {
        RelativePath.segments(relative);
        return spec.prefix() + relative;
    }

    /** Replacing: an object PUT (or multipart completion) swaps a key atomically, readers see old or new. */
    @Override
    public void write(String path, Path localFile, String sha256, TransferProgress progress, WriteMode mode)
            throws DeliveryException {
        boolean replace = mode == WriteMode.REPLACE;
        String key = key(path);
        long size;
        try {
            size = Files.size(localFile);
        } catch (IOException e) {
            throw new DeliveryException("staged file " + localFile + " is unreadable: " + e, true, e);
        }
        try {
            S3Client s3 = client();
            progress.touch();
            if (alreadyThere(s3, key, path, sha256, replace)) {
                env.journal().forget(journalKey, key);
                return;
            }
            long partSize = PartSize.forObject(size);
            try {
                if (size <= partSize) {
                    putSingle(s3, key, localFile, size, sha256, progress, replace);
                } else {
                    putMultipart(s3, key, localFile, size, partSize, sha256, progress, replace);
                }
            } catch (AwsServiceException e) {
                // If-None-Match refused: the object appeared since the check above (another writer)
                if (e.statusCode() != 412 || replace || !alreadyThere(s3, key, path, sha256, false)) {
                    throw e;
                }
                LOG.info("{} appeared while it was uploaded, with the same bytes", key);
                env.journal().forget(journalKey, key);
                return;
            }
            HeadObjectResponse head = s3.headObject(r -> r.bucket(spec.bucket()).key(key));
            if (head.contentLength() != size || !sha256.equals(head.metadata().get(SHA256_METADATA))) {
                throw new DeliveryException(spec.describe() + ": " + key + " reads back as " + head.contentLength()
                        + " bytes, sha256 " + head.metadata().get(SHA256_METADATA) + "; expected " + size + " bytes, "
                        + sha256, true);
            }
        } catch (AwsServiceException e) {
            throw classify("upload of " + path, e, progress, size);
        } catch (SdkException | IOException e) {
            abort(); // pooled connections may be dead: start the next attempt on fresh ones
            throw new DeliveryException(spec.describe() + ": upload of " + path + " failed after "
                    + progress.acknowledgedBytes() + " of " + size + " bytes acknowledged: " + e.getMessage(), false, e);
        }
    }

    /**
     * Create-only check: true if the object exists with our bytes, a refusal if it holds others.
     * When replacing, the stored bytes themselves are hashed (the metadata says what was sent, not
     * what the store holds now), and other bytes mean "go ahead".
     */
    private boolean alreadyThere(S3Client s3, String key, String path, String sha256, boolean replace)
            throws DeliveryException {
        Optional<HeadObjectResponse> head = head(s3, key);
        if (head.isEmpty()) {
            return false;
        }
        String existing = replace ? null : head.get().metadata().get(SHA256_METADATA);
        if (existing == null) {
            try (InputStream in = s3.getObject(r -> r.bucket(spec.bucket()).key(key))) {
                existing = Hashing.digest(in).sha256();
            } catch (IOException e) {
                throw new DeliveryException("cannot read back " + key + ": " + e, false, e);
            }
        }
        if (existing.equals(sha256)) {
            return true;
        }
        if (replace) {
            return false;
        }
        throw new DeliveryException(spec.describe() + ": " + path + " already exists with different content (sha256 "
                + existing + ", expected " + sha256 + "); refusing to overwrite a delivered object", true);
    }

    private Optional<HeadObjectResponse> head(S3Client s3, String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(spec.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void putSingle(S3Client s3, String key, Path localFile, long size, String sha256,
                           TransferProgress progress, boolean replace) throws IOException {
        byte[] bytes = Files.readAllBytes(localFile);
        progress.resumedFrom(0);
        progress.sent(size);
        s3.putObject(r -> r.bucket(spec.bucket()).key(key).contentLength(size)
                        .contentMD5(PartReader.base64(PartReader.digest("MD5", bytes, bytes.length)))
                        .checksumSHA256(PartReader.base64(PartReader.digest("SHA-256", bytes, bytes.length)))
                        .metadata(Map.of(SHA256_METADATA, sha256)).ifNoneMatch(replace ? null : "*"),
                RequestBody.fromBytes(bytes));
        progress.acknowledged(size);
    }

    private void putMultipart(S3Client s3, String key, Path localFile, long size, long partSize, String sha256,
                              TransferProgress progress, boolean replace) throws IOException, DeliveryException {
        int partCount = PartSize.parts(size, partSize);
        Map<Integer, UploadJournal.Part> held = new HashMap<>();
        UploadJournal.Upload upload = env.journal().find(journalKey, key)
                .filter(u -> u.fileSha256().equals(sha256) && u.partSize() == partSize && u.fileSize() == size)
                .orElse(null);
        if (upload != null) {
            held = reconcile(s3, key, upload, localFile, size, partSize);
            if (held == null) {
                upload = null;
                held = new HashMap<>();
            }
        }
        if (upload == null) {
            String uploadId = s3.createMultipartUpload(r -> r.bucket(spec.bucket()).key(key)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .metadata(Map.of(SHA256_METADATA, sha256))).uploadId();
            upload = new UploadJournal.Upload(key, uploadId, partSize, size, sha256, List.of());
            env.journal().begin(journalKey, upload);
        }
        long heldBytes = held.values().stream().mapToLong(UploadJournal.Part::size).sum();
        progress.resumedFrom(heldBytes);
        String uploadId = upload.uploadId();
        List<Integer> missing = new ArrayList<>();
        for (int number = 1; number <= partCount; number++) {
            if (!held.containsKey(number)) {
                missing.add(number);
            }
        }
        try (PartReader reader = new PartReader(localFile, partSize, size)) {
            for (int i = 0; i < Math.min(PartReader.AHEAD, missing.size()); i++) {
                reader.prefetch(missing.get(i));
            }
            for (int i = 0; i < missing.size(); i++) {
                PartReader.Part next = reader.take();
                if (i + PartReader.AHEAD < missing.size()) {
                    // read and hash the parts after this one while it travels
                    reader.prefetch(missing.get(i + PartReader.AHEAD));
                }
                progress.sent(next.length());
                String etag = s3.uploadPart(r -> r.bucket(spec.bucket()).key(key).uploadId(uploadId)
                                .partNumber(next.number()).contentLength((long) next.length()).contentMD5(next.md5())
                                .checksumSHA256(next.sha256()),
                        body(next.bytes(), next.length(), progress)).eTag();
                UploadJournal.Part part = new UploadJournal.Part(next.number(), etag, next.sha256(), next.length());
                env.journal().partDone(journalKey, key, part);
                held.put(next.number(), part);
                progress.acknowledged(held.values().stream().mapToLong(UploadJournal.Part::size).sum());
            }
        }
        if (alreadyThere(s3, key, key, sha256, replace)) {
            s3.abortMultipartUpload(r -> r.bucket(spec.bucket()).key(key).uploadId(uploadId));
            env.journal().forget(journalKey, key);
            return;
        }
        List<CompletedPart> parts = held.values().stream().sorted(Comparator.comparingInt(UploadJournal.Part::number))
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).checksumSHA256(p.sha256())
                        .build())
                .toList();
        try {
            s3.completeMultipartUpload(r -> r.bucket(spec.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).ifNoneMatch(replace ? null : "*"));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412) {
                s3.abortMultipartUpload(r -> r.bucket(spec.bucket()).key(key).uploadId(uploadId));
            }
            throw e;
        }
        env.journal().forget(journalKey, key);
    }

    /**
     * The parts the store holds that we can keep, by number; null if the upload is gone. A part is
     * kept if its ETag matches the journal, or (completed but not yet journaled when we stopped) the
     * MD5 of our local bytes.
     */
    private Map<Integer, UploadJournal.Part> reconcile(S3Client s3, String key, UploadJournal.Upload upload,
                                                       Path localFile, long size, long partSize) throws IOException {
        Map<Integer, software.amazon.awssdk.services.s3.model.Part> listed = new HashMap<>();
        try {
            Integer marker = null;
            while (true) {
                Integer m = marker;
                ListPartsResponse resp = s3.listParts(r -> r.bucket(spec.bucket()).key(key)
                        .uploadId(upload.uploadId()).partNumberMarker(m));
                resp.parts().forEach(p -> listed.put(p.partNumber(), p));
                if (!Boolean.TRUE.equals(resp.isTruncated())) {
                    break;
                }
                marker = resp.nextPartNumberMarker();
            }
        } catch (NoSuchUploadException e) {
            LOG.info("multipart upload of {} is gone from the store; starting over", key);
            env.journal().forget(journalKey, key);
            return null;
        } catch (AwsServiceException e) {
            // some stores refuse ListParts while an abandoned part upload is still being read; the
            // journal only holds parts the store acknowledged with an ETag, so they can be trusted
            LOG.warn("cannot list the parts of {} (HTTP {}); resuming from the {} journaled part(s)", key,
                    e.statusCode(), upload.parts().size());
            Map<Integer, UploadJournal.Part> journaled = new HashMap<>();
            upload.parts().forEach(p -> journaled.put(p.number(), p));
            return journaled;
        }
        Map<Integer, UploadJournal.Part> journaled = new HashMap<>();
        upload.parts().forEach(p -> journaled.put(p.number(), p));
        Map<Integer, UploadJournal.Part> keep = new HashMap<>();
        byte[] buf = null;
        try (RandomAccessFile in = new RandomAccessFile(localFile.toFile(), "r")) {
            for (software.amazon.awssdk.services.s3.model.Part p : listed.values()) {
                int number = p.partNumber();
                long expected = Math.min(partSize, size - (number - 1) * partSize);
                if (number > PartSize.parts(size, partSize) || p.size() == null || p.size() != expected) {
                    continue;
                }
                UploadJournal.Part j = journaled.get(number);
                if (j != null && sameEtag(j.etag(), p.eTag())) {
                    keep.put(number, j);
                    continue;
                }
                if (buf == null) {
                    buf = new byte[(int) partSize];
                }
                int len = readPart(in, number, partSize, size, buf);
                String md5 = HexFormat.of().formatHex(PartReader.digest("MD5", buf, len));
                if (sameEtag(md5, p.eTag())) {
                    UploadJournal.Part adopted = new UploadJournal.Part(number, p.eTag(),
                            PartReader.base64(PartReader.digest("SHA-256", buf, len)), len);
                    env.journal().partDone(journalKey, key, adopted);
                    keep.put(number, adopted);
                }
            }
        }
        LOG.info("resuming multipart upload of {}: the store holds {} usable part(s)", key, keep.size());
        return keep;
    }

    /** The part's bytes, touching {@code progress} as the HTTP client reads them onto the wire. */
    private static RequestBody body(byte[] buf, int len, TransferProgress progress) {
        return RequestBody.fromContentProvider(() -> new java.io.FilterInputStream(
                new java.io.ByteArrayInputStream(buf, 0, len)) {
            @Override
            public int read(byte[] b, int off, int n) throws IOException {
                progress.touch();
                return super.read(b, off, Math.min(n, 64 * 1024));
            }
        }, len, "application/octet-stream");
    }

    private static boolean sameEtag(String a, String b) {
        return a != null && b != null && a.replace("\"", "").equalsIgnoreCase(b.replace("\"", ""));
    }

    private static int readPart(RandomAccessFile in, int number, long partSize, long size, byte[] buf)
            throws IOException {
        long offset = (number - 1) * partSize;
        int len = (int) Math.min(partSize, size - offset);
        in.seek(offset);
        in.readFully(buf, 0, len);
        return len;
    }


    private DeliveryException classify(String what, AwsServiceException e, TransferProgress progress, long size) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        boolean permanent = status == 401 || status == 403 || status == 400 && !"RequestTimeout".equals(code)
                || status == 404 || status == 412;
        String hint = status == 403 || status == 401 ? " (" + refusal(code) + "; not retrying)" : "";
        return new DeliveryException(spec.describe() + ": " + what + " failed after " + progress.acknowledgedBytes()
                + " of " + size + " bytes acknowledged: HTTP " + status + (code == null ? "" : " " + code) + hint
                + (e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : " (" + e.awsErrorDetails().errorMessage() + ")"),
                permanent, e);
    }

    /**
     * A failed call in words. A refusal of the credentials (HTTP 401/403) says which reference they
     * came from, never their values, and is permanent: repeating it cannot succeed.
     */
    private DeliveryException failed(String what, SdkException e) {
        if (e instanceof AwsServiceException a && (a.statusCode() == 401 || a.statusCode() == 403)) {
            String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
            return new DeliveryException(spec.describe() + ": " + what + ": " + refusal(code) + " (HTTP "
                    + a.statusCode() + (code == null ? "" : " " + code) + ")", true, e);
        }
        return new DeliveryException(spec.describe() + ": " + what + ": " + e.getMessage(), false, e);
    }

    /** What a refusal means, by the store's error code (a HEAD has no body, so no code). */
    private String refusal(String code) {
        String keys = spec.accessKeyId().describe() + " / " + spec.secretAccessKey().describe();
        return switch (code == null ? "" : code) {
            case "SignatureDoesNotMatch" -> "the store refused the credentials from " + keys
                    + ": the secret access key does not match the access key id";
            case "InvalidAccessKeyId" -> "the store refused the credentials from " + keys
                    + ": it does not know the access key id";
            default -> "the store refused the credentials from " + keys + " (a wrong key, or no permission on "
                    + "bucket " + spec.bucket() + ")";
        };
    }

    @Override
    public Optional<RemoteFile> stat(String path) throws DeliveryException {
        String key = key(path);
        try {
            return head(client(), key).map(h -> new RemoteFile(path, h.contentLength()));
        } catch (SdkException e) {
            abort();
            throw failed("cannot stat " + path, e);
        }
    }

    @Override
    public InputStream open(String path) throws DeliveryException {
        String key = key(path);
        try {
            return client().getObject(r -> r.bucket(spec.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            throw new DeliveryException("missing at destination: " + path, true, e);
        } catch (SdkException e) {
            throw failed("cannot read " + path, e);
        }
    }

    @Override
    public List<RemoteFile> list(String directory) throws DeliveryException {
        String prefix = key(directory) + "/";
        List<RemoteFile> out = new ArrayList<>();
        try {
            for (S3Object o : client().listObjectsV2Paginator(r -> r.bucket(spec.bucket()).prefix(prefix)
                    .delimiter("/")).contents()) {
                out.add(new RemoteFile(directory + "/" + o.key().substring(prefix.length()), o.size()));
            }
        } catch (SdkException e) {
            throw failed("cannot list " + directory, e);
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    @Override
    public void delete(String path) throws DeliveryException {
        String key = key(path);
        try {
            client().deleteObject(r -> r.bucket(spec.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("cannot delete " + path, e);
        }
    }

    /** Aborts the multipart uploads left under {@code directory} and forgets them. */
    @Override
    public int removeAbandonedTemporaries(String directory) throws DeliveryException {
        String prefix = key(directory) + "/";
        int removed = 0;
        try {
            S3Client s3 = client();
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(r -> r.bucket(spec.bucket()).prefix(prefix))
                    .uploads()) {
                s3.abortMultipartUpload(r -> r.bucket(spec.bucket()).key(u.key()).uploadId(u.uploadId()));
                env.journal().forget(journalKey, u.key());
                removed++;
            }
        } catch (SdkException e) {
            throw failed("cannot clean " + directory, e);
        }
        return removed;
    }

    /** Closes the HTTP client under a blocked request: the request fails, the next call builds a new client. */
    @Override
    public void abort() {
        S3Client c;
        synchronized (this) {
            c = client;
            client = null;
        }
        if (c != null) {
            c.close();
        }
    }

    @Override
    public String describe() {
        return spec.describe();
    }

    @Override
    public void close() {
        abort();
    }
}
