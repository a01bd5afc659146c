package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenPGP both ways with a real GnuPG 2.2 (issue 16, item 1): gpg decrypts what we encrypt to a
 * partner's key and verifies our signatures (in the message and detached); we decrypt what gpg
 * encrypts and signs for us and check its signature — refusing one made by any other key, a
 * tampered message, and keys that are expired, sign-only, malformed or more than one.
 */
class GpgInteropTest {
    private static final String PARTNER = "Partner Ops <partner@example.com>";
    private static final String US = "ExportDesk <exports@example.com>";
    private static final String MALLORY = "Mallory <mallory@example.com>";
    private static Gpg partner;
    private static Gpg us;
    private static Gpg mallory;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        partner = new Gpg();
        us = new Gpg();
        mallory = new Gpg();
        partner.generate(PARTNER, "future-default", "default", "1y");
        us.generate(US, "future-default", "default", "1y");
        mallory.generate(MALLORY, "future-default", "default", "1y");
        partner.importKey(us.exportPublic(US));
        us.importKey(partner.exportPublic(PARTNER));
        mallory.importKey(us.exportPublic(US));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Gpg g : new Gpg[] {partner, us, mallory}) {
            if (g != null) {
                g.close();
            }
        }
    }

    @Test
    void gpgDecryptsWhatWeEncryptAndVerifiesOurSignatures() throws Exception {
        PartnerKey key = PgpKeys.readPublic(partner.exportPublic(PARTNER), "partner.public_key", Instant.now());
        SigningKey signer = PgpKeys.readSecret(us.exportSecret(US), new char[0], "signing_key", Instant.now());
        assertThat(key.userId()).isEqualTo(PARTNER);
        byte[] chunk = new byte[300_000];
        new Random(16).nextBytes(chunk);
        Path encrypted = dir.resolve("chunk-000001.jsonl.zst.gpg");
        try (var out = Files.newOutputStream(encrypted)) {
            PgpCrypto.encrypt(new ByteArrayInputStream(chunk), out, List.of(key), signer);
        }
        Path decrypted = dir.resolve("out");
        Gpg.Result r = partner.run(null, "--status-fd", "2", "--output", decrypted.toString(), "--decrypt",
                encrypted.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("GOODSIG").contains("DECRYPTION_OKAY").contains("GOODMDC");
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(chunk);

        // the partner's side of verify-delivery: decrypt with their key, check our signature; a flipped bit is caught
        List<PGPPrivateKey> theirs = PgpKeys.readDecryptionKeys(partner.exportSecret(PARTNER), new char[0], "key");
        var ourRing = PgpKeys.readPublic(us.exportPublic(US), "ours", Instant.now()).ring();
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        PgpCrypto.decrypt(Files.newInputStream(encrypted), back, theirs, ourRing);
        assertThat(back.toByteArray()).isEqualTo(chunk);
        byte[] flipped = Files.readAllBytes(encrypted);
        flipped[flipped.length / 2] ^= 0x01;
        assertThatThrownBy(() -> PgpCrypto.decrypt(new ByteArrayInputStream(flipped), new ByteArrayOutputStream(),
                theirs, ourRing)).isInstanceOf(PgpException.class);
        assertThat(partner.run(null, "--decrypt", "--output", dir.resolve("x").toString(),
                Files.write(dir.resolve("flipped.gpg"), flipped).toString()).exit())
                .as("gpg refuses the flipped message too").isNotZero();

        Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"format\":\"exportdesk-manifest/1\"}\n");
        Path asc = dir.resolve("manifest.json.asc");
        Files.write(asc, PgpCrypto.detachedSignature(Files.newInputStream(manifest), signer));
        Gpg.Result v = partner.run(null, "--status-fd", "2", "--verify", asc.toString(), manifest.toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.err()).contains("GOODSIG").contains("exports@example.com");
        Files.writeString(manifest, "{\"format\":\"exportdesk-manifest/1\",\"edited\":true}\n");
        assertThat(partner.run(null, "--verify", asc.toString(), manifest.toString()).exit())
                .as("gpg refuses our signature over an edited manifest").isNotZero();
    }

    @Test
    void weDecryptWhatGpgEncryptsAndCheckWhoSignedIt() throws Exception {
        List<PGPPrivateKey> ours = PgpKeys.readDecryptionKeys(us.exportSecret(US), new char[0], "key");
        var partnerRing = PgpKeys.readPublic(partner.exportPublic(PARTNER), "partner", Instant.now()).ring();
        byte[] receipt = "{\"receipt\":\"ok\"}\n".getBytes();
        Path plain = Files.write(dir.resolve("receipt.json"), receipt);

        Path signed = dir.resolve("signed.gpg");
        assertThat(partner.run(null, "--output", signed.toString(), "--encrypt", "--sign", "--recipient",
                "exports@example.com", "--local-user", "partner@example.com", plain.toString()).exit()).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PgpCrypto.decrypt(Files.newInputStream(signed), out, ours, partnerRing);
        assertThat(out.toByteArray()).isEqualTo(receipt);

        Path forged = dir.resolve("forged.gpg");
        assertThat(mallory.run(null, "--output", forged.toString(), "--encrypt", "--sign", "--recipient",
                "exports@example.com", plain.toString()).exit()).isZero();
        assertThatThrownBy(() -> PgpCrypto.decrypt(Files.newInputStream(forged), new ByteArrayOutputStream(), ours,
                partnerRing)).isInstanceOf(PgpException.class).hasMessageContaining("signed by another key");

        Path unsigned = dir.resolve("unsigned.gpg");
        assertThat(partner.run(null, "--output", unsigned.toString(), "--encrypt", "--recipient",
                "exports@example.com", plain.toString()).exit()).isZero();
        assertThatThrownBy(() -> PgpCrypto.decrypt(Files.newInputStream(unsigned), new ByteArrayOutputStream(), ours,
                partnerRing)).isInstanceOf(PgpException.class).hasMessageContaining("not signed");

        byte[] tampered = Files.readAllBytes(signed);
        tampered[tampered.length - 30] ^= 0x40;
        assertThatThrownBy(() -> PgpCrypto.decrypt(new ByteArrayInputStream(tampered), new ByteArrayOutputStream(),
                ours, partnerRing)).isInstanceOf(PgpException.class)
                // where the flipped bit lands (compressed data, the signature packet) decides which check refuses it
                .hasMessageMatching(".*(altered|does not verify|damaged).*");
    }

    @Test
    void keysThatCannotBeUsedAreRefusedNamingTheField() throws Exception {
        try (Gpg other = new Gpg()) {
            other.generate("Old <old@example.com>", "future-default", "default", "seconds=1");
            other.generate("Signer <signer@example.com>", "ed25519", "sign", "1y");
            Thread.sleep(2100);
            Instant now = Instant.now();
            assertThatThrownBy(() -> PgpKeys.readPublic(other.exportPublic("old@example.com"), "partners[0].key", now))
                    .isInstanceOf(PgpException.class).hasMessageContaining("partners[0].key").hasMessageContaining("expired");
            assertThatThrownBy(() -> PgpKeys.readPublic(other.exportPublic("signer@example.com"), "partners[0].key",
                    now)).hasMessageContaining("no usable encryption key");
            assertThatThrownBy(() -> PgpKeys.readPublic(other.exportPublic("example.com"), "partners[0].key", now))
                    .hasMessageContaining("exactly one public key");
        }
        assertThatThrownBy(() -> PgpKeys.readPublic("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n"
                + "-----END PGP PUBLIC KEY BLOCK-----\n", "partners[1].key", Instant.now()))
                .isInstanceOf(PgpException.class).hasMessageStartingWith("partners[1].key: not an OpenPGP public key");
        assertThatThrownBy(() -> PgpKeys.readPublic("x".repeat(PgpKeys.MAX_KEY_BYTES + 1), "k", Instant.now()))
                .hasMessageContaining("too large");
        String secret = us.exportSecret(US);
        assertThat(secret).doesNotContain("hunter2");
        assertThatThrownBy(() -> PgpKeys.readSecret(partner.exportPublic(PARTNER), new char[0], "signing_key",
                Instant.now())).isInstanceOf(PgpException.class).hasMessageStartingWith("signing_key:");
    }
}
