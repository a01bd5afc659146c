package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): an N-row PostgreSQL table exported to zstd JSON Lines with OpenPGP on
 * (encrypted to a partner's key and signed, manifest signed too) against the same export without
 * it, and against {@code gpg --encrypt --sign} of the unencrypted export's chunk files — what a
 * sender without the feature would run after each export. Child JVMs with -Xmx256m, start
 * included; the three alternate within each repeat and medians are reported.
 * Run with {@code .ci/bench pgp [ROWS] [REPEATS]}; see BENCHMARKS.md.
 */
public final class PgpBenchmark {
    private PgpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("exportdesk-pgp-bench");
        SourceDb db = SourceDb.postgres();
        BenchFiles.loadOrders(db, rows);
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            us.importKey(partner.exportPublic("partner@example.com"));
            String partnerKey = partner.exportPublic("partner@example.com");
            String signingKey = us.exportSecret("exports@example.com");
            List<Double> plain = new ArrayList<>();
            List<Double> encrypted = new ArrayList<>();
            List<Double> gpg = new ArrayList<>();
            long plainBytes = 0;
            long encryptedBytes = 0;
            for (int i = 0; i < repeats; i++) {
                Path plainDrop = dir.resolve("plain-" + i);
                plain.add(export(db, dir.resolve("ws-plain-" + i), plainDrop, null, null));
                Path encDrop = dir.resolve("enc-" + i);
                encrypted.add(export(db, dir.resolve("ws-enc-" + i), encDrop, partnerKey, signingKey));
                List<Path> chunks = BenchFiles.chunks(plainDrop);
                long t0 = System.nanoTime();
                for (Path chunk : chunks) {
                    Gpg.Result r = us.run(null, "--compress-algo", "none", "--output", chunk + ".gpg", "--encrypt",
                            "--sign", "--recipient", "partner@example.com", chunk.toString());
                    if (r.exit() != 0) {
                        throw new IllegalStateException("gpg failed: " + r.err());
                    }
                }
                gpg.add((System.nanoTime() - t0) / 1e9);
                plainBytes = BenchFiles.bytes(chunks);
                encryptedBytes = BenchFiles.bytes(BenchFiles.chunks(encDrop));
                System.out.printf(Locale.ROOT, "repeat %d: export %.2f s, export with OpenPGP %.2f s, gpg --encrypt "
                        + "--sign of the export's %d chunk(s) %.2f s%n", i + 1, plain.get(i), encrypted.get(i),
                        chunks.size(), gpg.get(i));
            }
            double p = BenchFiles.median(plain);
            double e = BenchFiles.median(encrypted);
            double g = BenchFiles.median(gpg);
            System.out.printf(Locale.ROOT, "%nrows: %,d   chunks: %.1f MB plain, %.1f MB encrypted%n", rows,
                    plainBytes / 1e6, encryptedBytes / 1e6);
            System.out.printf(Locale.ROOT, "%-52s %10s %12s%n", "", "seconds", "rows/s");
            System.out.printf(Locale.ROOT, "%-52s %10.2f %,12.0f%n", "export, no encryption", p, rows / p);
            System.out.printf(Locale.ROOT, "%-52s %10.2f %,12.0f%n", "export with OpenPGP (encrypt + sign at seal)", e,
                    rows / e);
            System.out.printf(Locale.ROOT, "%-52s %10.2f %,12.0f%n", "gpg --encrypt --sign of the export's chunks", g,
                    rows / g);
            System.out.printf(Locale.ROOT, "%-52s %10.2f %,12.0f%n", "export, then gpg (what a sender would do)", p + g,
                    rows / (p + g));
            System.out.printf(Locale.ROOT, "ratio (OpenPGP export rows/s ÷ plain export rows/s): %.2f%n", p / e);
            System.out.printf("machine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        }
        System.exit(0);
    }

    private static double export(SourceDb db, Path ws, Path drop, String partnerKey, String signingKey)
            throws Exception {
        ObjectNode contract = Contracts.base("bench", db, "orders", drop);
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500_000).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        if (partnerKey != null) {
            ObjectNode openpgp = contract.putObject("openpgp").put("sign_manifest", true);
            openpgp.putArray("encrypt_to").add(partnerKey);
            openpgp.putObject("sign_with").put("secret", "signing");
        }
        try (TestEngine t = TestEngine.open(ws)) {
            if (signingKey != null) {
                t.vault.set("signing", signingKey, SecretScope.OPENPGP_SIGN, "bench");
            }
            t.importContract(contract.toString());
        }
        long t0 = System.nanoTime();
        Path log = ws.resolveSibling(ws.getFileName() + ".log");
        int code = ChildJvm.run(log, List.of("-Xmx256m"), 3600, "--workspace", ws.toString(), "run", "bench", "-q");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("export failed: " + Files.readString(log));
        }
        return seconds;
    }
}
