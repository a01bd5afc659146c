package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.Codecs;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.SourceDb;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 1 end to end through the real command line: a contract encrypting to a partner's
 * key (made by GnuPG) and signing with ours (made by GnuPG, stored with {@code secret set}) is
 * imported and run to a folder; the partner's gpg decrypts every chunk with a good signature and
 * verifies the manifest's detached signature, and the decrypted rows are the source's. Our
 * {@code verify} and {@code verify --deep} pass on the encrypted run. {@code verify-delivery} checks
 * ciphertext only without a key (and says so), decrypts with the partner's, and refuses a wrong key,
 * a tampered ciphertext and a chunk gpg signed with a key that is not ours.
 */
@Timeout(300)
class OpenPgpDeliveryTest {
    private static final String PARTNER = "Partner Ops <partner@example.com>";
    private static final String US = "ExportDesk <exports@example.com>";
    private static final String MALLORY = "Mallory <mallory@example.com>";
    private static final ObjectMapper JSON = new ObjectMapper();
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
        mallory.importKey(partner.exportPublic(PARTNER));
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
    void anEncryptedSignedRunIsWhatGpgAndTheVerifiersAccept() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        Map<String, String> source = items(db, 2500);
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "steward"));
        Path signing = Files.writeString(dir.resolve("signing.asc"), us.exportSecret(US));
        assertThat(cli.run("secret", "set", "our-signing-key", "--scope", "openpgp:sign", "--from-file",
                signing.toString()).code()).isZero();
        Files.delete(signing);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.putObject("openpgp").put("sign_manifest", true)
                .<ObjectNode>set("sign_with", JSON.createObjectNode().put("secret", "our-signing-key"))
                .putArray("encrypt_to").add(partner.exportPublic(PARTNER));
        Path file = Files.writeString(dir.resolve("items.json"), contract.toString());
        CliRun.Result imported = cli.run("contract", "import", file.toString());
        assertThat(imported.code()).as(imported.all()).isZero();
        CliRun.Result run = cli.run("run", "items", "-q");
        assertThat(run.code()).as(run.all()).isZero();

        Path runDir = drop.resolve("items/run-000001");
        Manifest m = ManifestCodec.read(Files.readAllBytes(runDir.resolve("manifest.json")));
        assertThat(m.encryption()).isEqualTo("openpgp");
        assertThat(m.chunks()).hasSize(3).allSatisfy(c -> assertThat(c.file()).endsWith(".jsonl.zst.pgp"));
        assertThat(files(runDir)).containsExactlyInAnyOrder("chunk-000001.jsonl.zst.pgp",
                "chunk-000002.jsonl.zst.pgp", "chunk-000003.jsonl.zst.pgp", "checkpoint.txt", "ledger-proofs.json",
                "SHA256SUMS", "manifest.json.asc", "manifest.json");
        Process sums = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(runDir.toFile())
                .redirectErrorStream(true).start();
        assertThat(sums.waitFor()).as(new String(sums.getInputStream().readAllBytes())).isZero();

        // the partner's gpg: every chunk decrypts, integrity-protected and signed by us; the rows are the source's
        Map<String, String> delivered = new HashMap<>();
        for (ChunkEntry c : m.chunks()) {
            Path plain = dir.resolve(c.file() + ".out");
            Gpg.Result r = partner.run(null, "--status-fd", "2", "--output", plain.toString(), "--decrypt",
                    runDir.resolve(c.file()).toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("DECRYPTION_OKAY").contains("GOODMDC").contains("GOODSIG")
                    .contains("exports@example.com");
            assertThat(Hashing.digest(runDir.resolve(c.file())).sha256()).isEqualTo(c.sha256());
            byte[] content = Codecs.decompress(Files.newInputStream(plain), Compression.ZSTD).readAllBytes();
            assertThat(Hashing.sha256Hex(content)).as("content_sha256 of %s", c.file()).isEqualTo(c.contentSha256());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    JsonNode row = JSON.readTree(line);
                    assertThat(delivered.put(row.get("ID").asText(), row.get("NAME").asText()))
                            .as("delivered twice: %s", row).isNull();
                }
            }
        }
        Set<String> lost = new HashSet<>(source.keySet());
        lost.removeAll(delivered.keySet());
        assertThat(lost).as("rows lost").isEmpty();
        assertThat(delivered).isEqualTo(source);
        Gpg.Result v = partner.run(null, "--status-fd", "2", "--verify", runDir.resolve("manifest.json.asc").toString(),
                runDir.resolve("manifest.json").toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.err()).contains("GOODSIG").contains("exports@example.com");

        // our own verification of the encrypted run, delivery level and deep
        CliRun.Result verify = cli.run("verify", "items");
        assertThat(verify.code()).as(verify.all()).isZero();
        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as(deep.all()).isZero();

        // the partner's verifier: ciphertext only without a key, and says so; the content with their key
        Path partnerSecret = Files.writeString(dir.resolve("partner-secret.asc"), partner.exportSecret(PARTNER));
        Path ourPublic = Files.writeString(dir.resolve("exportdesk.asc"), us.exportPublic(US));
        CliRun.Result plain = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("state-1").toString());
        assertThat(plain.code()).as(plain.all()).isZero();
        assertThat(plain.out()).contains("ciphertext only; give --decrypt-key").contains("delivery verified");
        CliRun.Result full = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("state-2").toString(), "--decrypt-key", partnerSecret.toString(), "--signer-key",
                ourPublic.toString());
        assertThat(full.code()).as(full.all()).isZero();
        assertThat(full.out()).contains("decrypted and signed by").contains("PASS  manifest.json.asc: good signature")
                .doesNotContain("ciphertext only");

        // a wrong decryption key
        Path wrong = Files.writeString(dir.resolve("mallory-secret.asc"), mallory.exportSecret(MALLORY));
        CliRun.Result wrongKey = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("state-3").toString(), "--decrypt-key", wrong.toString());
        assertThat(wrongKey.code()).as(wrongKey.all()).isEqualTo(6);
        assertThat(wrongKey.out()).contains("does not decrypt with the given key: the message is not encrypted to "
                + "this key");

        // a flipped bit in a delivered ciphertext
        Path tampered = copy(drop.resolve("items"), dir.resolve("tampered/items"));
        Path victim = tampered.resolve("run-000001/chunk-000002.jsonl.zst.pgp");
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(victim, bytes);
        CliRun.Result flipped = cli.run("verify-delivery", tampered.toString(), "--no-ack", "--state",
                dir.resolve("state-4").toString(), "--decrypt-key", partnerSecret.toString(), "--signer-key",
                ourPublic.toString());
        assertThat(flipped.code()).as(flipped.all()).isEqualTo(6);
        assertThat(line(flipped.out(), "chunk-000002.jsonl.zst.pgp:")).contains("FAIL").contains("sha256 ")
                .contains("does not decrypt with the given key");

        // a chunk gpg encrypted to the partner and signed with a key that is not ours, the content unchanged
        Path forgedTree = copy(drop.resolve("items"), dir.resolve("forged/items"));
        Path decrypted = dir.resolve("chunk-000001.jsonl.zst.pgp.out");
        Path forged = forgedTree.resolve("run-000001/chunk-000001.jsonl.zst.pgp");
        Files.delete(forged);
        Gpg.Result sign = mallory.run(null, "--output", forged.toString(), "--encrypt", "--sign", "--recipient",
                "partner@example.com", decrypted.toString());
        assertThat(sign.exit()).as(sign.err()).isZero();
        // the manifest made to list the forged file, so the size and hash checks let it through to decryption
        Path forgedManifest = forgedTree.resolve("run-000001/manifest.json");
        ObjectNode edited = (ObjectNode) JSON.readTree(Files.readAllBytes(forgedManifest));
        ((ObjectNode) edited.get("chunks").get(0)).put("bytes", Files.size(forged))
                .put("sha256", Hashing.digest(forged).sha256());
        Files.write(forgedManifest, JSON.writeValueAsBytes(edited));
        CliRun.Result foreign = cli.run("verify-delivery", forgedTree.toString(), "--no-ack", "--state",
                dir.resolve("state-5").toString(), "--decrypt-key", partnerSecret.toString(), "--signer-key",
                ourPublic.toString());
        assertThat(foreign.code()).as(foreign.all()).isEqualTo(6);
        assertThat(line(foreign.out(), "chunk-000001.jsonl.zst.pgp:")).contains("FAIL")
                .contains("signed by another key");

        // a key file that is no key: invalid input, nothing verified
        CliRun.Result notAKey = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack",
                "--decrypt-key", file.toString());
        assertThat(notAKey.code()).as(notAKey.all()).isEqualTo(3);
        assertThat(notAKey.err()).contains("--decrypt-key items.json").doesNotContain("Exception");

        // our signing key, used in memory only: no file of the workspace or the delivery holds its secret part
        List<String> armor = us.exportSecret(US).lines().filter(l -> l.length() > 40).toList();
        String secretPart = armor.get(armor.size() - 2); // the secret subkey is exported last
        StringBuilder printed = new StringBuilder();
        for (CliRun.Result r : List.of(imported, run, verify, deep, plain, full)) {
            printed.append(r.all());
        }
        assertThat(printed.toString()).doesNotContain(secretPart).doesNotContain("PRIVATE KEY");
        assertThat(filesContaining(dir.resolve("ws"), secretPart)).isEmpty();
        assertThat(filesContaining(drop, secretPart)).isEmpty();
        assertThat(filesContaining(dir.resolve("ws"), "our-signing-key")).as("positive control: the scan reads "
                + "the workspace").isNotEmpty();
    }

    private static List<Path> filesContaining(Path root, String needle) throws Exception {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    byte[] data = Files.readAllBytes(f);
                    outer:
                    for (int i = 0; i <= data.length - n.length; i++) {
                        for (int j = 0; j < n.length; j++) {
                            if (data[i + j] != n[j]) {
                                continue outer;
                            }
                        }
                        return true;
                    }
                    return false;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static Map<String, String> items(SourceDb db, int n) throws Exception {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                + "NOT NULL)");
        OffsetDateTime t0 = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
            for (int id = 1; id <= n; id++) {
                st.setLong(1, id);
                st.setString(2, id % 9 == 0 ? "Gökhan \"Z\", line\n" + id : "item " + id);
                st.setObject(3, t0.plusSeconds(id));
                st.addBatch();
            }
            st.executeBatch();
        }
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM items")) {
            while (rs.next()) {
                out.put(Long.toString(rs.getLong(1)), rs.getString(2));
            }
        }
        return out;
    }

    private static List<String> files(Path runDir) throws Exception {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static String line(String out, String subject) {
        return out.lines().filter(l -> l.contains(subject)).findFirst().orElse("(no line for " + subject + ")");
    }
}
