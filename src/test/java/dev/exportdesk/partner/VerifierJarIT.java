package dev.exportdesk.partner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.FileTrees;
import dev.exportdesk.testing.ItemsExport;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged partner verifier, {@code java -jar target/exportdesk-verifier.jar}, in its own JVM
 * with nothing else on the class path, against a real delivered contract folder (an export, a
 * correction run and an increment): the untouched folder passes and gets receipts; a tampered
 * chunk, a missing run and a wrong key fail with exit code 6 naming the item; bad usage exits 2.
 * Runs in `mvn verify` after `package` (surefire execution "packaged-jars").
 */
class VerifierJarIT {
    private static final String C = ItemsExport.CONTRACT;

    @TempDir
    static Path dir;

    private static Path jar;
    private static String key;

    private record Out(int code, String text) {
    }

    @BeforeAll
    static void deliver() throws Exception {
        jar = Path.of(System.getProperty("exportdesk.verifier.jar", "target/exportdesk-verifier.jar"));
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        SourceDb db = SourceDb.h2(dir);
        try (TestEngine t = ItemsExport.exported(db, dir, "jsonl")) {
            db.exec("UPDATE items SET name = 'changed in place' WHERE id = 14");
            t.verify.verify(C, true);
            assertThat(t.engine.correct(C, ProgressListener.NONE)).isPresent();              // run 2: correction
            db.exec("INSERT INTO items VALUES (3001, 'new', 1, TIMESTAMP WITH TIME ZONE '2024-03-09 00:00:00+00')");
            assertThat(t.run(C).run().sequence()).isEqualTo(3);                            // run 3: increment
        }
        key = Files.readString(dir.resolve("ws/ledger/verifier.key")).trim();
    }

    private static Out verifier(String... args) throws Exception {
        Path log = Files.createTempFile(dir, "verifier", ".out");
        int code = ChildJvm.runJar(jar, log, 120, args);
        return new Out(code, Files.readString(log));
    }

    @Test
    void anUntouchedDeliveryPassesAndIsAcknowledged() throws Exception {
        Path folder = copy("good");
        Out out = verifier(folder.toString(), "--public-key", key, "--state", dir.resolve("s0").toString());
        assertThat(out.code()).as(out.text()).isZero();
        assertThat(out.text()).contains("run-000001:", "run-000002:", "run-000003:",
                "PASS  manifest chain: follows run 2",
                "PASS  chunk-000001.jsonl.zst (corrects): run 1 chunk-000001.jsonl.zst, listed in its manifest",
                "PASS  ledger consistency", "delivery verified").doesNotContain("FAIL");
        for (String run : new String[] {"run-000001", "run-000002", "run-000003"}) {
            assertThat(folder.resolve(run).resolve(PartnerVerifier.RECEIPT_FILE)).exists();
        }
    }

    @Test
    void aTamperedChunkFailsNamingTheFileAndGetsNoReceipt() throws Exception {
        Path folder = copy("tampered");
        Path chunk = folder.resolve("run-000002/chunk-000001.jsonl.zst");
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(chunk, bytes);
        Out out = verifier(folder.toString(), "--public-key", key, "--state", dir.resolve("s1.json").toString());
        assertThat(out.code()).as(out.text()).isEqualTo(6);
        assertThat(out.text()).contains("delivery verification FAILED");
        assertThat(out.text().substring(out.text().indexOf("run-000002:")))
                .as("named under the tampered run (a hash mismatch, or unreadable zstd)")
                .contains("FAIL  chunk-000001.jsonl.zst: ");
        assertThat(folder.resolve("run-000001/" + PartnerVerifier.RECEIPT_FILE)).exists();
        assertThat(folder.resolve("run-000002/" + PartnerVerifier.RECEIPT_FILE)).doesNotExist();
    }

    @Test
    void aMissingRunBreaksTheChainAndAWrongKeyTheSignature() throws Exception {
        Path folder = copy("gap");
        deleteTree(folder.resolve("run-000002"));
        Out gap = verifier(folder.toString(), "--public-key", key, "--no-ack", "--state",
                dir.resolve("s2.json").toString());
        assertThat(gap.code()).isEqualTo(6);
        assertThat(gap.text()).contains("FAIL  manifest chain:", "(runs 2..2 not verified; verify them first)");

        String wrong = key.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        Out forged = verifier(copy("key").toString(), "--public-key", wrong, "--no-ack", "--state",
                dir.resolve("s3.json").toString());
        assertThat(forged.code()).isEqualTo(6);
        assertThat(forged.text()).contains("FAIL  checkpoint.txt:");
    }

    @Test
    void badUsageExitsTwoAndTheJarHoldsNoEngine() throws Exception {
        Out usage = verifier(dir.resolve("drop/" + C).toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.text()).contains("usage: java -jar exportdesk-verifier.jar DIR --public-key KEY|FILE");
        Out noKeyFile = verifier(dir.resolve("drop/" + C).toString(), "--public-key", dir.resolve("none.key").toString());
        assertThat(noKeyFile.code()).isEqualTo(2);
        assertThat(noKeyFile.text()).contains("no verifier key at " + dir.resolve("none.key"));
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.stream().map(e -> e.getName())).contains("dev/exportdesk/partner/CorrectionLink.class")
                    .noneMatch(n -> n.startsWith("dev/exportdesk/engine/") || n.startsWith("org/h2/"));
        }
    }

    /**
     * Issue 16: the jar carries Bouncy Castle (unsigned, shaded) and decrypts an OpenPGP delivery with
     * the partner's key, checks our signatures, and refuses a key that is not the recipient's.
     */
    @Test
    void anEncryptedDeliveryIsDecryptedAndItsSignaturesChecked() throws Exception {
        Path here = Files.createDirectories(dir.resolve("pgp"));
        try (dev.exportdesk.testing.Gpg partner = new dev.exportdesk.testing.Gpg();
             dev.exportdesk.testing.Gpg us = new dev.exportdesk.testing.Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            us.generate("Other <other@example.com>", "future-default", "default", "1y");
            SourceDb db = SourceDb.h2(here);
            db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME "
                    + "ZONE NOT NULL)", "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE "
                    + "'2024-03-01 12:00:00+00' FROM SYSTEM_RANGE(1, 1500)");
            com.fasterxml.jackson.databind.node.ObjectNode contract = dev.exportdesk.testing.Contracts.base("sealed",
                    db, "items", here.resolve("drop"));
            com.fasterxml.jackson.databind.node.ObjectNode openpgp = contract.putObject("openpgp")
                    .put("sign_manifest", true);
            openpgp.putArray("encrypt_to").add(partner.exportPublic("partner@example.com"));
            openpgp.putObject("sign_with").put("secret", "our-signing-key");
            try (TestEngine t = TestEngine.open(here.resolve("ws"))) {
                t.vault.set("our-signing-key", us.exportSecret("exports@example.com"),
                        dev.exportdesk.secret.SecretScope.OPENPGP_SIGN, "test");
                t.importContract(contract.toString());
                assertThat(t.run("sealed").run().state().finished()).isTrue();
            }
            String sealedKey = Files.readString(here.resolve("ws/ledger/verifier.key")).trim();
            Path secret = Files.writeString(here.resolve("partner.asc"), partner.exportSecret("partner@example.com"));
            Path ours = Files.writeString(here.resolve("exportdesk.asc"), us.exportPublic("exports@example.com"));
            Out ok = verifier(here.resolve("drop/sealed").toString(), "--public-key", sealedKey, "--no-ack", "--state",
                    here.resolve("s1").toString(), "--decrypt-key", secret.toString(), "--signer-key", ours.toString());
            assertThat(ok.code()).as(ok.text()).isZero();
            assertThat(ok.text()).contains("PASS  chunk-000002.jsonl.zst.pgp: 500 rows", "decrypted and signed by",
                    "PASS  manifest.json.asc: good signature", "delivery verified");
            Out wrong = verifier(here.resolve("drop/sealed").toString(), "--public-key", sealedKey, "--no-ack",
                    "--state", here.resolve("s2").toString(), "--decrypt-key", Files.writeString(
                            here.resolve("other.asc"), us.exportSecret("other@example.com")).toString());
            assertThat(wrong.code()).as(wrong.text()).isEqualTo(6);
            assertThat(wrong.text()).contains("does not decrypt with the given key");
        }
    }

    /** A copy of the delivered contract folder, so each test tampers with its own. */
    private static Path copy(String name) throws IOException {
        return FileTrees.copy(dir.resolve("drop/" + C), dir.resolve(name).resolve(C));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
