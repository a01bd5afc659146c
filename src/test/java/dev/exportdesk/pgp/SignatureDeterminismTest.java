package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed after a crash signs its manifest again and must deliver the identical
 * {@code manifest.json.asc} (a delivered file is never overwritten with other bytes): signatures made
 * at the same time over the same bytes with an Ed25519 or RSA key are byte-identical, gpg verifies
 * them, and an ECDSA signing key, whose signatures are randomized, is refused naming the field.
 */
@Timeout(120)
class SignatureDeterminismTest {
    @TempDir
    Path dir;

    @Test
    void theSameManifestSignedAgainGivesTheSameBytesAndEcdsaIsRefused() throws Exception {
        try (Gpg gpg = new Gpg()) {
            gpg.generate("Ed <ed@example.com>", "ed25519", "sign", "1y");
            gpg.generate("Rsa <rsa@example.com>", "rsa2048", "sign", "1y");
            gpg.generate("Ec <ec@example.com>", "nistp256", "sign", "1y");
            byte[] manifest = "{\"format\" : \"exportdesk-manifest/1\"}\n".getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(dir.resolve("manifest.json"), manifest);
            Instant planned = Instant.parse("2026-12-05T01:00:00Z");
            for (String who : new String[] {"ed@example.com", "rsa@example.com"}) {
                String secret = gpg.exportSecret(who);
                byte[] first = PgpCrypto.detachedSignature(new ByteArrayInputStream(manifest),
                        PgpKeys.readSecret(secret, new char[0], "k", Instant.now()), planned);
                Thread.sleep(1100); // signature times have one-second resolution: "now" would differ by now
                byte[] again = PgpCrypto.detachedSignature(new ByteArrayInputStream(manifest),
                        PgpKeys.readSecret(secret, new char[0], "k", Instant.now()), planned);
                assertThat(again).as(who).isEqualTo(first);
                Path asc = Files.write(dir.resolve(who + ".asc"), first);
                Gpg.Result v = gpg.run(null, "--status-fd", "2", "--verify", asc.toString(), file.toString());
                assertThat(v.exit()).as(v.err()).isZero();
                assertThat(v.err()).contains("GOODSIG");
            }
            assertThatThrownBy(() -> PgpKeys.readSecret(gpg.exportSecret("ec@example.com"), new char[0],
                    "$.openpgp.sign_with.secret", Instant.now())).isInstanceOf(PgpException.class)
                    .hasMessageStartingWith("$.openpgp.sign_with.secret: ").hasMessageContaining("randomized");
        }
    }
}
