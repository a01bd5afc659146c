package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deep verification and corrections on an encrypted contract. Chunks are also encrypted to our own
 * signing key when it can decrypt (gpg's default keys have an encryption subkey), so reconciliation
 * reads back what it delivered: drift carried by a later run passes, a row gone from the source is a
 * finding, and the correction run (encrypted too) carries it. With a sign-only key nothing can be
 * read back: a difference is still a finding, saying the rows cannot be told.
 */
@Timeout(240)
class OpenPgpDeepVerifyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void deepVerifyReadsEncryptedChunksWithOurOwnKey() throws Exception {
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "future-default", "default", "1y");
            partner.importKey(us.exportPublic("exports@example.com"));
            CliRun cli = encryptedContract(partner, us.exportSecret("exports@example.com"));
            db.exec("UPDATE items SET name = 'renamed', updated_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00' "
                    + "WHERE id = 42");
            assertThat(cli.run("run", "items", "-q").code()).isZero();

            // the decrypted chunk is read back from the workspace's owner-only scratch folder, then removed
            Path scratch = dir.resolve("ws/scratch");
            CliRun.Result carried;
            java.util.List<String> made = new java.util.ArrayList<>();
            try (java.nio.file.WatchService watch = scratch.getFileSystem().newWatchService()) {
                scratch.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
                carried = cli.run("verify", "items", "--deep");
                for (java.nio.file.WatchKey k = watch.poll(); k != null; k = watch.poll()) {
                    k.pollEvents().forEach(e -> made.add(e.context().toString()));
                }
            }
            assertThat(carried.code()).as(carried.all()).isZero();
            assertThat(carried.out()).contains("PASS  chunk-000001.jsonl.zst.pgp (source): carried",
                    "changed  key [42] (carried by run #2)");
            assertThat(made).as("plaintext made in the workspace's scratch folder").isNotEmpty()
                    .allMatch(n -> n.matches(ProcessHandle.current().pid() + "-chunk-[0-9a-f]{16}\\.part"));
            try (var left = Files.list(scratch)) {
                assertThat(left.toList()).as("and removed once read").isEmpty();
            }
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch)))
                    .isEqualTo("rwx------");

            db.exec("DELETE FROM items WHERE id = 7");
            CliRun.Result missing = cli.run("verify", "items", "--deep");
            assertThat(missing.code()).as(missing.all()).isEqualTo(6);
            assertThat(missing.out()).contains("FAIL  chunk-000001.jsonl.zst.pgp (source): missing at source",
                    "missing  key [7]\n");

            CliRun.Result correct = cli.run("correct", "items", "-q");
            assertThat(correct.code()).as(correct.all()).isZero();
            CliRun.Result corrected = cli.run("verify", "items", "--deep");
            assertThat(corrected.code()).as(corrected.all()).isZero();
            assertThat(corrected.out()).contains("missing  key [7] (carried by run #3)");
            Path correction = dir.resolve("drop/items/run-000003/chunk-000001.jsonl.zst.pgp");
            Gpg.Result r = partner.run(null, "--status-fd", "2", "--output", dir.resolve("c.zst").toString(),
                    "--decrypt", correction.toString());
            assertThat(r.exit()).as("the partner decrypts the correction chunk: %s", r.err()).isZero();
            assertThat(r.err()).contains("GOODSIG").contains("DECRYPTION_OKAY");
        }
    }

    @Test
    void withASignOnlyKeyADifferenceIsAFindingWithoutRows() throws Exception {
        try (Gpg partner = new Gpg(); Gpg us = new Gpg()) {
            partner.generate("Partner <partner@example.com>", "future-default", "default", "1y");
            us.generate("ExportDesk <exports@example.com>", "ed25519", "sign", "1y");
            CliRun cli = encryptedContract(partner, us.exportSecret("exports@example.com"));
            CliRun.Result clean = cli.run("verify", "items", "--deep");
            assertThat(clean.code()).as(clean.all()).isZero();
            db.exec("DELETE FROM items WHERE id = 7");
            CliRun.Result missing = cli.run("verify", "items", "--deep");
            assertThat(missing.code()).as(missing.all()).isEqualTo(6);
            assertThat(missing.out()).contains("FAIL  chunk-000001.jsonl.zst.pgp (source)")
                    .contains("which rows cannot be told").contains("holds no key that decrypts it");
        }
    }

    private SourceDb db;

    private CliRun encryptedContract(Gpg partner, String signingKey) throws Exception {
        db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                + "NOT NULL)", "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE "
                + "'2024-03-01 12:00:00+00' FROM SYSTEM_RANGE(1, 500)");
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "steward"));
        Path key = Files.writeString(dir.resolve("signing.asc"), signingKey);
        assertThat(cli.run("secret", "set", "our-signing-key", "--scope", "openpgp:sign", "--from-file",
                key.toString()).code()).isZero();
        ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop"));
        contract.putObject("openpgp").<ObjectNode>set("sign_with", JSON.createObjectNode().put("secret",
                "our-signing-key")).putArray("encrypt_to").add(partner.exportPublic("partner@example.com"));
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun.Result imported = cli.run("contract", "import", file.toString());
        assertThat(imported.code()).as(imported.all()).isZero();
        CliRun.Result run = cli.run("run", "items", "-q");
        assertThat(run.code()).as(run.all()).isZero();
        return cli;
    }
}
