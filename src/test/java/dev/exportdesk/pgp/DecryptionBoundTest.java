package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.Gpg;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile sender's message that gpg compressed inside (64 MiB of zeros in a few kB) is refused
 * once it decrypts past the bound the partner's verifier sets — the ciphertext's own size, since
 * our chunks are never compressed inside — instead of filling the partner's disk.
 */
@Timeout(120)
class DecryptionBoundTest {
    @TempDir
    Path dir;

    @Test
    void aMessageThatDecryptsPastItsBoundIsRefused() throws Exception {
        try (Gpg partner = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            Path zeros = dir.resolve("zeros");
            try (OutputStream out = Files.newOutputStream(zeros)) {
                out.write(new byte[64 << 20]);
            }
            Path bomb = dir.resolve("bomb.pgp");
            assertThat(partner.run(null, "--compress-algo", "zlib", "--output", bomb.toString(), "--encrypt",
                    "--recipient", "partner@example.com", zeros.toString()).exit()).isZero();
            long size = Files.size(bomb);
            assertThat(size).isLessThan(1 << 20);
            List<PGPPrivateKey> keys = PgpKeys.readDecryptionKeys(partner.exportSecret("partner@example.com"),
                    new char[0], "key");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> PgpCrypto.decrypt(Files.newInputStream(bomb), out, keys, null, size))
                    .isInstanceOf(PgpException.class).hasMessageContaining("decrypts to more than " + size);
            assertThat(out.size()).as("written before the refusal").isLessThanOrEqualTo((int) size);
        }
    }
}
