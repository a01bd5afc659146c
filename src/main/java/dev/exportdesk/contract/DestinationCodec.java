package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The SFTP and S3 destination objects of a contract, and the transfer policy fields they share. */
final class DestinationCodec {
    static final Set<String> POLICY_FIELDS = Set.of("connect_timeout", "stall_timeout", "ack_deadline",
            "parallel_transfers", "max_bytes_per_second");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern REMOTE_PATH = Pattern.compile("/|(/[A-Za-z0-9][A-Za-z0-9._-]{0,127})+");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,127}/)*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private DestinationCodec() {
    }

    static TransferPolicy policy(JsonFields d) {
        Duration connect = d.duration("connect_timeout", TransferPolicy.DEFAULT_CONNECT_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration stall = d.duration("stall_timeout", TransferPolicy.DEFAULT_STALL_TIMEOUT, Duration.ofMillis(200),
                Duration.ofHours(1));
        Duration ack = d.duration("ack_deadline", null, Duration.ofSeconds(1), Duration.ofDays(31));
        int parallel = (int) d.integer("parallel_transfers", 1, 1, TransferPolicy.MAX_PARALLEL_TRANSFERS);
        long cap = d.integer("max_bytes_per_second", 0, TransferPolicy.MIN_BYTES_PER_SECOND, 100L << 30);
        return new TransferPolicy(connect, stall, ack, parallel, cap);
    }

    static Set<String> with(Set<String> fields) {
        Set<String> all = new HashSet<>(fields);
        all.addAll(POLICY_FIELDS);
        all.add("path_template"); // read by the contract (LayoutCodec); a named definition refuses it
        return all;
    }

    static SftpDestinationSpec sftp(JsonFields d) {
        d.rejectUnknown(with(Set.of("type", "host", "port", "user", "path", "host_key_sha256", "password_secret",
                "password_env", "private_key_secret", "private_key_env")));
        String host = d.string("host", true, HOST, "must be a host name or IP address");
        int port = (int) d.integer("port", 22, 1, 65535);
        String user = d.string("user", true, USER, "must be a user name (letters, digits, '.', '_', '-')");
        String path = d.string("path", true, REMOTE_PATH,
                "must be an absolute remote directory of allow-listed segments, e.g. \"/inbound/acme\"");
        String pin = d.string("host_key_sha256", false, FINGERPRINT,
                "must be a host key fingerprint as ssh-keygen -l prints it, e.g. \"SHA256:3n0…\"");
        SecretRef password = ref(d, "password");
        SecretRef key = ref(d, "private_key");
        if (password == null && key == null && !d.has("password_secret") && !d.has("password_env")
                && !d.has("private_key_secret") && !d.has("private_key_env")) {
            d.error("password_secret", "give a password (password_secret or password_env) or a private key "
                    + "(private_key_secret or private_key_env)");
        }
        if (d.has("password")) {
            d.error("password", "credentials must not be stored in a contract; use password_secret or password_env");
        }
        TransferPolicy policy = policy(d);
        if (host == null || user == null || path == null) {
            return null;
        }
        return new SftpDestinationSpec(host, port, user, path, pin, password, key, policy);
    }

    static S3DestinationSpec s3(JsonFields d) {
        d.rejectUnknown(with(Set.of("type", "endpoint", "region", "bucket", "prefix", "path_style",
                "access_key_id_secret", "access_key_id_env", "secret_access_key_secret", "secret_access_key_env",
                "allow_insecure_http")));
        String endpoint = d.string("endpoint", false, null, null);
        boolean allowHttp = d.has("allow_insecure_http") && d.bool("allow_insecure_http");
        if (endpoint != null) {
            try {
                URI uri = URI.create(endpoint);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getUserInfo() != null) {
                    d.error("endpoint", "must be an http(s) URL without credentials, e.g. \"https://s3.example.com\"");
                } else if ("http".equals(uri.getScheme()) && !allowHttp) {
                    d.error("endpoint", "is plain http: credentials' signatures and every chunk would travel "
                            + "unencrypted; use https, or set \"allow_insecure_http\": true in the destination "
                            + "(loopback test stores only)");
                }
            } catch (IllegalArgumentException e) {
                d.error("endpoint", "is not a valid URL: " + e.getMessage());
            }
        }
        String region = d.string("region", false, REGION, "must be a region name such as \"eu-west-1\"");
        String bucket = d.string("bucket", true, BUCKET, "must be a valid bucket name");
        String prefix = d.string("prefix", false, PREFIX,
                "must be allow-listed segments each followed by '/', e.g. \"exports/acme/\"");
        boolean pathStyle = d.has("path_style") && d.bool("path_style");
        SecretRef access = ref(d, "access_key_id");
        SecretRef secret = ref(d, "secret_access_key");
        if (!d.has("access_key_id_secret") && !d.has("access_key_id_env")) {
            d.error("access_key_id_secret", "is required (or access_key_id_env)");
        }
        if (!d.has("secret_access_key_secret") && !d.has("secret_access_key_env")) {
            d.error("secret_access_key_secret", "is required (or secret_access_key_env)");
        }
        TransferPolicy policy = policy(d);
        if (bucket == null || access == null || secret == null) {
            return null;
        }
        return new S3DestinationSpec(endpoint, region == null ? "us-east-1" : region, bucket,
                prefix == null ? "" : prefix, pathStyle, access, secret, policy, allowHttp);
    }

    /** {@code <base>_secret} or {@code <base>_env}, at most one. */
    private static SecretRef ref(JsonFields d, String base) {
        String secret = d.string(base + "_secret", false, ContractCodec.SAFE_NAME, "must be a secret name");
        String env = d.string(base + "_env", false, ENV_NAME, "must be an environment variable name");
        if (env != null && env.toUpperCase(java.util.Locale.ROOT).startsWith("EXPORTDESK_")) {
            d.error(base + "_env", "must not name ExportDesk's own variables (EXPORTDESK_*); they are never sent");
            return null;
        }
        if (secret != null && env != null) {
            d.error(base + "_env", "give either " + base + "_secret or " + base + "_env, not both");
            return null;
        }
        return secret != null ? SecretRef.secret(secret) : env != null ? SecretRef.env(env) : null;
    }

    static void write(ObjectNode dest, DestinationSpec spec) {
        if (spec instanceof SftpDestinationSpec s) {
            dest.put("host", s.host());
            dest.put("port", s.port());
            dest.put("user", s.user());
            dest.put("path", s.path());
            if (s.hostKeySha256() != null) {
                dest.put("host_key_sha256", s.hostKeySha256());
            }
            writeRef(dest, "password", s.password());
            writeRef(dest, "private_key", s.privateKey());
        } else if (spec instanceof S3DestinationSpec s) {
            if (s.endpoint() != null) {
                dest.put("endpoint", s.endpoint());
            }
            dest.put("region", s.region());
            dest.put("bucket", s.bucket());
            if (!s.prefix().isEmpty()) {
                dest.put("prefix", s.prefix());
            }
            dest.put("path_style", s.pathStyle());
            if (s.allowInsecureHttp()) {
                dest.put("allow_insecure_http", true);
            }
            writeRef(dest, "access_key_id", s.accessKeyId());
            writeRef(dest, "secret_access_key", s.secretAccessKey());
        }
        TransferPolicy p = spec.policy();
        if (!p.equals(TransferPolicy.DEFAULT)) {
            dest.put("connect_timeout", DurationText.format(p.connectTimeout()));
            dest.put("stall_timeout", DurationText.format(p.stallTimeout()));
            if (p.ackDeadline() != null) {
                dest.put("ack_deadline", DurationText.format(p.ackDeadline()));
            }
            if (p.parallelTransfers() != 1) {
                dest.put("parallel_transfers", p.parallelTransfers());
            }
            if (p.capped()) {
                dest.put("max_bytes_per_second", p.maxBytesPerSecond());
            }
        }
    }

    private static void writeRef(ObjectNode dest, String base, SecretRef ref) {
        if (ref == null) {
            return;
        }
        if (ref.secret() != null) {
            dest.put(base + "_secret", ref.secret());
        } else {
            dest.put(base + "_env", ref.env());
        }
    }
}
