package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract (issue 15) with {@code openpgp}: the copy and the streamed changes alike arrive
 * as OpenPGP messages whose ciphertext hashes as the manifest lists, and the partner — decrypting
 * with their key and requiring our signature — replays exactly the source, hard deletes included.
 */
@Timeout(240)
class OpenPgpLogicalTest {
    @TempDir
    Path dir;

    @Test
    void copyAndStreamAreEncryptedAndReplayToTheSource() throws Exception {
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            SourceDb db = SourceDb.logical();
            String slot = "pgp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                    "ALTER TABLE items REPLICA IDENTITY FULL", "CREATE PUBLICATION items_pub FOR TABLE items",
                    "INSERT INTO items SELECT g, 1, 'row ' || g FROM generate_series(1, 300) g");
            Path drop = dir.resolve("drop");
            ObjectNode contract = Contracts.base("items", db, "items", drop);
            ((ObjectNode) contract.get("chunk")).put("max_rows", 40);
            Contracts.logical(contract, "items_pub", slot);
            ObjectNode openpgp = contract.putObject("openpgp").put("sign_manifest", true);
            openpgp.putArray("encrypt_to").add(partner.exportPublic("partner@example.com"));
            openpgp.putObject("sign_with").put("secret", "our-signing-key");
            CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
            assertThat(cli.run("secret", "set", "our-signing-key", "--scope", "openpgp:sign", "--from-file",
                    Files.writeString(dir.resolve("k.asc"), us.exportSecret("exports@example.com")).toString()).code())
                    .isZero();
            Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
            CliRun.Result imported = cli.run("contract", "import", file.toString());
            assertThat(imported.code()).as(imported.all()).isZero();
            CliRun.Result copy = cli.run("run", "items");
            assertThat(copy.code()).as(copy.all()).isZero();
            db.exec("UPDATE items SET version = version + 1, payload = 'changed' WHERE id <= 50",
                    "DELETE FROM items WHERE id BETWEEN 100 AND 119",
                    "INSERT INTO items SELECT g, 1, 'new ' || g FROM generate_series(301, 330) g");
            CliRun.Result stream = cli.run("run", "items");
            assertThat(stream.code()).as(stream.all()).isZero();

            List<PGPPrivateKey> keys = PgpKeys.readDecryptionKeys(partner.exportSecret("partner@example.com"),
                    new char[0], "partner");
            PGPPublicKeyRing ours = PgpKeys.readPublicRing(us.exportPublic("exports@example.com"), "ours");
            Replay replay = Replay.of(drop.resolve("items"), "id", chunk -> {
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                PgpCrypto.decrypt(Files.newInputStream(chunk), plain, keys, ours);
                return new ByteArrayInputStream(plain.toByteArray());
            });
            assertThat(replay.manifests).extracting(Manifest::mode).containsExactly("full", "incremental");
            for (int i = 0; i < replay.manifests.size(); i++) {
                Path run = drop.resolve("items/run-00000" + (i + 1));
                for (ChunkEntry c : replay.manifests.get(i).chunks()) {
                    assertThat(c.file()).endsWith(".jsonl.zst.pgp");
                    assertThat(Hashing.digest(run.resolve(c.file())).sha256()).isEqualTo(c.sha256());
                }
                assertThat(PgpCrypto.verifyDetached(Files.newInputStream(run.resolve("manifest.json")),
                        Files.readAllBytes(run.resolve("manifest.json.asc")), ours)).isTrue();
            }
            Map<String, Integer> partnerCopy = new HashMap<>();
            replay.table.forEach((k, v) -> partnerCopy.put(k, v.get("version").asInt()));
            assertThat(partnerCopy).isEqualTo(db.versions("items"));
        }
    }

}
