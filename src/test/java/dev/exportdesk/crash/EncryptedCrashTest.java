package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.pgp.PgpCrypto;
import dev.exportdesk.pgp.PgpKeys;
import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a child JVM during OpenPGP-encrypted runs (issue 16, item 1), then resume: every
 * delivered ciphertext hashes as its manifest says, decrypts with the partner's key under our
 * signature, and the partner's replay of the decrypted rows is the source — nothing lost, nothing
 * delivered twice. A kill between {@code manifest.json.asc} and the manifest would make the resume
 * sign again: it must re-send identical bytes, or the delivery's write-once rule fails the run.
 */
class EncryptedCrashTest {
    private static final int KILLS = 6;
    private static final int MAX_TRIALS = 24;
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void sigkillDuringEncryptedRunsThenResumeDeliversTheSourceEncrypted() throws Exception {
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            run(partner, us);
        }
    }

    private void run(Gpg partner, Gpg us) throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(40).withNano(0);
        Random random = new Random(16_2026);
        long nextId = ItemsActivity.seed(db, 1, 6000, base);
        Path drop = dir.resolve("drop");
        Path workspace = dir.resolve("ws");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("soft_delete_column", "deleted_at");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100);
        ((ObjectNode) contract.get("late_data")).put("lookback", "1h"); // the activity commits some rows late
        ObjectNode openpgp = contract.putObject("openpgp").put("sign_manifest", true);
        openpgp.putArray("encrypt_to").add(partner.exportPublic("partner@example.com"));
        openpgp.set("sign_with", new ObjectMapper().createObjectNode().put("secret", "our-signing-key"));
        try (TestEngine t = TestEngine.open(workspace)) {
            t.vault.set("our-signing-key", us.exportSecret("exports@example.com"), SecretScope.OPENPGP_SIGN, "test");
            t.importContract(contract.toString());
        }

        int killed = 0;
        KillDelays delays = new KillDelays(random, 800, 4000);
        OffsetDateTime clock = base.plusMinutes(1);
        int trial = 0;
        for (; killed < KILLS; trial++) {
            assertThat(trial).as("trials needed for %d kills that landed mid-run", KILLS).isLessThan(MAX_TRIALS);
            clock = clock.plusSeconds(20);
            nextId = ItemsActivity.mutate(db, random, nextId, clock);
            String[] command = trial % 3 == 2
                    ? new String[] {"--workspace", workspace.toString(), "resume", "-q"}
                    : new String[] {"--workspace", workspace.toString(), "run", "items", "-q"};
            Path log = dir.resolve("trial-" + trial + ".log");
            Process child = ChildJvm.start(log, CHILD_JVM, command);
            // every fourth run may finish, however slow the machine: runs complete between the kills
            boolean finish = trial % 4 == 3;
            long delay = finish ? TimeUnit.MINUTES.toMillis(2) : delays.next();
            if (!child.waitFor(delay, TimeUnit.MILLISECONDS)) {
                child.destroyForcibly(); // SIGKILL on Linux
                killed++;
                child.waitFor(30, TimeUnit.SECONDS);
            } else {
                if (!finish) {
                    delays.missed();
                }
                assertThat(child.exitValue()).as("trial %d finished on its own: %s", trial, Files.readString(log))
                        .isZero();
            }
        }
        for (int i = 0; i < 2; i++) {
            Path log = dir.resolve("final-" + i + ".log");
            int code = ChildJvm.run(log, CHILD_JVM, 120, "--workspace", workspace.toString(), "run", "items", "-q");
            assertThat(code).as(Files.readString(log)).isZero();
        }

        List<PGPPrivateKey> partnerKeys = PgpKeys.readDecryptionKeys(partner.exportSecret("partner@example.com"),
                new char[0], "partner");
        PGPPublicKeyRing ours = PgpKeys.readPublicRing(us.exportPublic("exports@example.com"), "ours");
        // the partner decrypts each chunk, requiring our signature, before reading its rows
        Replay replay = Replay.of(drop.resolve("items"), "id", chunk -> {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            PgpCrypto.decrypt(Files.newInputStream(chunk), plain, partnerKeys, ours);
            return new ByteArrayInputStream(plain.toByteArray());
        });
        ItemsActivity.assertReplayIsTheSource(replay, db);
        assertCiphertextsAreTheManifests(drop.resolve("items"), replay, ours);
        assertThat(replay.manifests.size()).as("runs completed between the kills").isGreaterThan(2);
        System.out.printf("encrypted crash loop: %d trials, %d killed mid-run, %d runs, %d records%n", trial, killed,
                replay.manifests.size(), replay.delivered.size());
    }

    /** Every run folder holds exactly its encrypted chunks, hashing as listed, and a valid manifest signature. */
    private static void assertCiphertextsAreTheManifests(Path contractDir, Replay replay, PGPPublicKeyRing ours)
            throws Exception {
        List<Path> runDirs;
        try (Stream<Path> s = Files.list(contractDir)) {
            runDirs = s.sorted().toList();
        }
        assertThat(runDirs).hasSize(replay.manifests.size());
        List<String> mismatched = new ArrayList<>();
        for (int i = 0; i < runDirs.size(); i++) {
            Manifest m = replay.manifests.get(i);
            Path runDir = runDirs.get(i);
            assertThat(m.sequence()).isEqualTo(i + 1);
            assertThat(m.encryption()).isEqualTo(Manifest.OPENPGP);
            Set<String> listed = new HashSet<>(List.of("manifest.json", "manifest.json.asc", "SHA256SUMS",
                    "checkpoint.txt", "ledger-proofs.json"));
            for (ChunkEntry c : m.chunks()) {
                listed.add(c.file());
                if (!Hashing.digest(runDir.resolve(c.file())).sha256().equals(c.sha256())) {
                    mismatched.add(runDir.getFileName() + "/" + c.file());
                }
            }
            try (Stream<Path> files = Files.list(runDir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).as("files in %s", runDir)
                        .containsExactlyInAnyOrderElementsOf(listed);
            }
            assertThat(PgpCrypto.verifyDetached(Files.newInputStream(runDir.resolve("manifest.json")),
                    Files.readAllBytes(runDir.resolve("manifest.json.asc")), ours)).as("signature of %s", runDir)
                    .isTrue();
        }
        assertThat(mismatched).as("delivered ciphertexts that differ from their manifest").isEmpty();
    }
}
