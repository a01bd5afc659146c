package dev.exportdesk.transfer;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.SftpDestinationSpec;
import dev.exportdesk.contract.TransferPolicy;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.TestSecrets;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The BENCHMARKS.md "Transfers" figures (a command, not a test): a file of SIZE_MIB (default 1024)
 * over loopback to the in-process SFTP and S3 servers with ExportDesk's destinations, beside a plain
 * single-stream copy with the same client library and no checks, in the same run; then the bytes
 * re-sent after an interruption at 50 %.
 */
public final class TransferBenchmark {
    private static final int ROUNDS = 3;
    private static final TransferPolicy POLICY = new TransferPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60),
            null);

    private TransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        serverDigest(args.length > 2 ? args[2] : "jdk");
        long size = Long.parseLong(args.length > 0 ? args[0] : "1024") * 1024 * 1024;
        Path dir = Files.createTempDirectory("exportdesk-bench");
        try {
            Path file = dir.resolve("chunk.bin");
            byte[] block = new byte[1 << 20];
            Random r = new Random(1);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long n = 0; n < size; n += block.length) {
                    r.nextBytes(block);
                    out.write(block);
                }
            }
            String sha = Hashing.digest(file).sha256();
            System.out.printf("file: %d MiB, sha256 %s%n", size >> 20, sha.substring(0, 16));
            String which = args.length > 1 ? args[1] : "all";
            if (!which.equals("s3")) {
                sftp(dir, file, sha, size);
                cleanServers(dir);
            }
            if (!which.equals("sftp")) {
                s3(dir, file, sha, size);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * How the in-process SFTP server computes {@code check-file-name} hashes: "jdk" (SHA-256 from the
     * JDK's SUN provider, with the CPU's SHA instructions, as on 2026-12-01) or "bc" (Bouncy Castle's
     * pure-Java SHA-256, which MINA SSHD picks for every digest once bcprov is on the class path, as it
     * has been since ed25519 support). ExportDesk waits for that hash after each upload, so "bc" charges
     * it several seconds per GiB of the stand-in partner's CPU. Set before MINA's first use: its
     * provider registration happens once per JVM.
     */
    private static void serverDigest(String which) {
        switch (which) {
            case "jdk" -> {
                System.setProperty("org.apache.sshd.security.provider.BC.MessageDigest", "none");
                System.setProperty("org.apache.sshd.security.defaultProvider", "SUN");
            }
            case "bc" -> { }
            default -> throw new IllegalArgumentException("server digest: jdk or bc, not " + which);
        }
        System.out.println("in-process SFTP server hashes with: " + which);
    }

    private static void cleanServers(Path dir) throws Exception {
        for (String d : new String[] {"sftp", "blobs"}) {
            Path p = dir.resolve(d);
            if (Files.exists(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static void report(String what, long bytes, long nanos) {
        System.out.printf("%-44s %8.1f MiB/s  (%.2f s)%n", what, bytes / 1048576.0 / (nanos / 1e9), nanos / 1e9);
    }

    private static void compare(String baseline, String ours, long bytes, long[] base, long[] mine) {
        long b = median(base);
        long m = median(mine);
        report(baseline + " (median of " + base.length + ")", bytes, b);
        report(ours + " (median of " + mine.length + ")", bytes, m);
        double[] paired = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            paired[i] = base[i] / (double) mine[i];
        }
        java.util.Arrays.sort(paired);
        // each round's pair ran back to back, so its ratio is the one the machine's load disturbs least
        System.out.printf("%-44s %8.2f x  (median of the rounds' ratios %.2f x; rounds: %s)%n", "ratio of medians",
                b / (double) m, paired[paired.length / 2], ratios(base, mine));
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    private static String ratios(long[] base, long[] mine) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("%.2f", base[i] / (double) mine[i]));
        }
        return sb.toString();
    }

    private static void sftp(Path dir, Path file, String sha, long size) throws Exception {
        Path root = Files.createDirectories(dir.resolve("sftp"));
        TransferEnvironment env = new TransferEnvironment(TestSecrets.fromEnv(Map.of("PW", "pw")),
                UploadJournal.inMemory(), null);
        try (SftpServer server = SftpServer.start(root, "pw")) {
            SftpDestinationSpec spec = new SftpDestinationSpec("127.0.0.1", server.port(), SftpServer.USER, "/x",
                    server.fingerprint(), SecretRef.env("PW"), null, POLICY);
            // plain: one stream, same client library, no resume, no verification
            try (SshClient client = SshClient.setUpDefaultClient()) {
                client.setServerKeyVerifier((s, a, k) -> true);
                client.start();
                try (ClientSession s = client.connect(SftpServer.USER, "127.0.0.1", server.port()).verify(10_000)
                        .getSession()) {
                    s.addPasswordIdentity("pw");
                    s.auth().verify(10_000);
                    try (SftpClient c = SftpClientFactory.instance().createSftpClient(s);
                         Destination d = Destinations.open(spec, env)) {
                        d.stat("a/b");
                        long[] plain = new long[ROUNDS];
                        long[] ours = new long[ROUNDS];
                        // alternating rounds, so warm-up and the machine's moods fall on both alike
                        for (int round = 0; round < ROUNDS; round++) {
                            long t = System.nanoTime();
                            try (OutputStream out = c.write("/plain-" + round + ".bin");
                                 InputStream in = Files.newInputStream(file)) {
                                in.transferTo(out);
                            }
                            plain[round] = System.nanoTime() - t;
                            c.remove("/plain-" + round + ".bin");
                            t = System.nanoTime();
                            d.put("run-00000" + (round + 1) + "/chunk.bin", file, sha);
                            ours[round] = System.nanoTime() - t;
                            c.remove("/x/run-00000" + (round + 1) + "/chunk.bin");
                        }
                        compare("sftp plain single-stream copy", "sftp ExportDesk put (temp, rename, verify)",
                                size, plain, ours);
                    }
                }
            }
            try (FaultProxy proxy = FaultProxy.start(server.port())) {
                SftpDestinationSpec viaProxy = new SftpDestinationSpec("127.0.0.1", proxy.port(), SftpServer.USER,
                        "/y", server.fingerprint(), SecretRef.env("PW"), null, spec.policy());
                try (Destination d = Destinations.open(viaProxy, env)) {
                    resume("sftp", d, proxy, file, sha, size);
                }
            }
        }
    }

    private static void s3(Path dir, Path file, String sha, long size) throws Exception {
        TransferEnvironment env = new TransferEnvironment(TestSecrets.fromEnv(Map.of("AK", S3Server.ACCESS_KEY,
                "SK", S3Server.SECRET_KEY)), UploadJournal.inMemory(), null);
        try (S3Server server = S3Server.start(Files.createDirectories(dir.resolve("blobs")), "bench")) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port());
            try (S3Client plain = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                    // as ExportDesk's client: s3proxy does not understand aws-chunked trailing checksums
                    .requestChecksumCalculation(
                            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                    .build()) {
                try (Destination d = Destinations.open(new S3DestinationSpec(endpoint.toString(), "us-east-1",
                        "bench", "x/", true, SecretRef.env("AK"), SecretRef.env("SK"), POLICY, true), env)) {
                    long[] base = new long[ROUNDS];
                    long[] ours = new long[ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        String key = "plain-" + round + ".bin";
                        long t = System.nanoTime();
                        plainMultipart(plain, key, file, size);
                        base[round] = System.nanoTime() - t;
                        plain.deleteObject(b -> b.bucket("bench").key(key));
                        t = System.nanoTime();
                        d.put("run-00000" + (round + 1) + "/chunk.bin", file, sha);
                        ours[round] = System.nanoTime() - t;
                        int r = round;
                        plain.deleteObject(b -> b.bucket("bench").key("x/run-00000" + (r + 1) + "/chunk.bin"));
                    }
                    compare("s3 plain sequential multipart (SDK)", "s3 ExportDesk put (multipart+checksums)", size,
                            base, ours);
                }
            }
            try (FaultProxy proxy = FaultProxy.start(server.port());
                 Destination d = Destinations.open(new S3DestinationSpec("http://127.0.0.1:" + proxy.port(),
                         "us-east-1", "bench", "y/", true, SecretRef.env("AK"), SecretRef.env("SK"), POLICY, true), env)) {
                resume("s3", d, proxy, file, sha, size);
            }
        }
    }

    /**
     * The baseline: s3proxy refuses a 1 GiB non-chunked SigV4 PUT, so it is the same sequential
     * multipart upload ExportDesk does, without checksums, journal or checks.
     */
    private static void plainMultipart(S3Client plain, String key, Path file, long size) throws Exception {
        long partSize = PartSize.forObject(size);
        String id = plain.createMultipartUpload(b -> b.bucket("bench").key(key)).uploadId();
        java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new java.util.ArrayList<>();
        byte[] buf = new byte[(int) partSize];
        try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
            for (int n = 1; (long) (n - 1) * partSize < size; n++) {
                int len = (int) Math.min(partSize, size - (long) (n - 1) * partSize);
                in.readFully(buf, 0, len);
                int number = n;
                String etag = plain.uploadPart(b -> b.bucket("bench").key(key).uploadId(id).partNumber(number),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(buf, len))).eTag();
                parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(n).eTag(etag)
                        .build());
            }
        }
        plain.completeMultipartUpload(b -> b.bucket("bench").key(key).uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
    }

    private static void resume(String what, Destination d, FaultProxy proxy, Path file, String sha, long size)
            throws Exception {
        d.stat("a/b");
        proxy.arm(FaultProxy.Kind.CLOSE, size / 2);
        long sent = 0;
        for (int i = 0; i < 5; i++) {
            TransferProgress p = new TransferProgress();
            try {
                d.put("run-000001/resume.bin", file, sha, p);
                sent += p.sentBytes();
                break;
            } catch (DeliveryException e) {
                sent += p.sentBytes();
            }
        }
        long resent = sent - size;
        System.out.printf("%-44s %d bytes re-sent = %.4f of the file%n", what + " interrupted at 50 %, resumed", resent,
                resent / (double) size);
    }
}
