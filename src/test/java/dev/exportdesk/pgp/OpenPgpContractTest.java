package dev.exportdesk.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Gpg;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in a contract's {@code openpgp} object, through {@code contract import}: each is refused
 * with exit 3 and an error naming the field, no stack trace, nothing stored, and no secret value
 * printed. Keys are made by GnuPG: an expired one, a sign-only one, a secret one pasted as public.
 */
@Timeout(180)
class OpenPgpContractTest {
    private static final String PARTNER = "Partner Ops <partner@example.com>";
    private static final String US = "ExportDesk <exports@example.com>";
    private static final String NOT_A_KEY = "FAKE-SIGNING-VALUE-5d1e9a7c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gpg gpg;
    private static String partnerKey;
    private static String expiredKey;
    private static String signOnlyKey;
    private static String secretKey;
    private static String lockedKey;
    private static final String PASSPHRASE = "FAKE-PASSPHRASE-0b7c2e11";

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        gpg = new Gpg();
        gpg.generate(PARTNER, "future-default", "default", "1y");
        gpg.generate(US, "future-default", "default", "1y");
        gpg.generate("Old <old@example.com>", "future-default", "default", "seconds=1");
        gpg.generate("Signer <signer@example.com>", "ed25519", "sign", "1y");
        partnerKey = gpg.exportPublic("partner@example.com");
        expiredKey = gpg.exportPublic("old@example.com");
        signOnlyKey = gpg.exportPublic("signer@example.com");
        secretKey = gpg.exportSecret("exports@example.com");
        // gpg takes the last --passphrase given: this key is locked with PASSPHRASE
        Gpg.Result made = gpg.run(null, "--passphrase", PASSPHRASE, "--quick-gen-key", "Locked <locked@example.com>",
                "ed25519", "sign", "1y");
        assertThat(made.exit()).as(made.err()).isZero();
        lockedKey = gpg.run(null, "--passphrase", PASSPHRASE, "--armor", "--export-secret-keys", "locked@example.com")
                .out();
        assertThat(lockedKey).contains("PRIVATE KEY BLOCK");
        Thread.sleep(1500); // the one-second key has expired
    }

    @AfterAll
    static void stop() throws Exception {
        if (gpg != null) {
            gpg.close();
        }
    }

    @Test
    void badKeysAndSecretsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "steward"));
        Path value = Files.writeString(dir.resolve("value"), NOT_A_KEY);
        assertThat(cli.run("secret", "set", "not-a-key", "--scope", "openpgp:sign", "--from-file", value.toString())
                .code()).isZero();
        assertThat(cli.run("secret", "set", "sftp-password", "--scope", "sftp://127.0.0.1:22", "--from-file",
                value.toString()).code()).isZero();
        Path signing = Files.writeString(dir.resolve("signing"), secretKey);
        assertThat(cli.run("secret", "set", "our-signing-key", "--scope", "openpgp:sign", "--from-file",
                signing.toString()).code()).isZero();
        assertThat(cli.run("secret", "set", "locked-key", "--scope", "openpgp:sign", "--from-file",
                Files.writeString(dir.resolve("locked"), lockedKey).toString()).code()).isZero();
        assertThat(cli.run("secret", "set", "locked-pass", "--scope", "openpgp:sign", "--from-file",
                Files.writeString(dir.resolve("pass"), PASSPHRASE).toString()).code()).isZero();
        assertThat(cli.run("secret", "set", "wrong-pass", "--scope", "openpgp:sign", "--from-file",
                value.toString()).code()).isZero();
        // signing keys bound to one partner: globex's cannot sign acme's deliveries
        assertThat(cli.run("secret", "set", "globex-signing", "--scope", "openpgp:sign:globex", "--from-file",
                signing.toString()).code()).isZero();
        assertThat(cli.run("secret", "set", "acme-signing", "--scope", "openpgp:sign:acme", "--from-file",
                signing.toString()).code()).isZero();
        ObjectNode base = Contracts.base("items", db, "items", dir.resolve("drop"));

        refused(cli, base, o -> o.putArray("encrypt_to").add("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n"
                + "-----END PGP PUBLIC KEY BLOCK-----\n"), "$.openpgp.encrypt_to[0]: not an OpenPGP public key");
        refused(cli, base, o -> o.putArray("encrypt_to").add("/etc/passwd"),
                "$.openpgp.encrypt_to[0]: must be an ASCII-armored public key");
        refused(cli, base, o -> o.putArray("encrypt_to").add(partnerKey).add(expiredKey),
                "$.openpgp.encrypt_to[1]: the key");
        refused(cli, base, o -> o.putArray("encrypt_to").add(expiredKey), "expired on");
        refused(cli, base, o -> o.putArray("encrypt_to").add(signOnlyKey),
                "$.openpgp.encrypt_to[0]: the key has no usable encryption key");
        refused(cli, base, o -> o.putArray("encrypt_to").add(secretKey),
                "$.openpgp.encrypt_to[0]: is a secret key");
        refused(cli, base, o -> o.putArray("encrypt_to").add(partnerKey).add(partnerKey),
                "$.openpgp.encrypt_to[1]: repeats key");
        refused(cli, base, o -> o.putArray("encrypt_to"), "$.openpgp.encrypt_to: must be an array of 1 to 8");
        refused(cli, base, o -> o.put("encrypt_to", partnerKey), "$.openpgp.encrypt_to: must be an array");
        refused(cli, base, o -> o.put("sign_manifest", true).putArray("encrypt_to").add(partnerKey),
                "$.openpgp.sign_manifest: needs \"sign_with\"");
        refused(cli, base, o -> o.put("key_file", "/home/partner.asc").putArray("encrypt_to").add(partnerKey),
                "$.openpgp.key_file: unknown field");
        refused(cli, base, o -> withSigner(o, "no-such-secret"),
                "$.openpgp.sign_with.secret: no secret named \"no-such-secret\"");
        refused(cli, base, o -> withSigner(o, "sftp-password"),
                "$.openpgp.sign_with.secret: secret \"sftp-password\" may only be sent to sftp://127.0.0.1:22");
        refused(cli, base, o -> withSigner(o, "globex-signing"), "$.openpgp.sign_with.secret: secret "
                + "\"globex-signing\" may only be sent to openpgp:sign:globex, not to openpgp:sign:acme");
        refused(cli, base, o -> withSigner(o, "not-a-key"),
                "$.openpgp.sign_with.secret: not an OpenPGP secret key");
        refused(cli, base, o -> withSigner(o, "our-signing-key").put("passphrase_secret", "no-such-pass"),
                "$.openpgp.sign_with.passphrase_secret: no secret named \"no-such-pass\"");
        refused(cli, base, o -> withSigner(o, "locked-key"),
                "$.openpgp.sign_with.secret: the signing key cannot be unlocked (wrong passphrase?)");
        refused(cli, base, o -> withSigner(o, "locked-key").put("passphrase_secret", "wrong-pass"),
                "$.openpgp.sign_with.secret: the signing key cannot be unlocked (wrong passphrase?)");

        CliRun.Result list = cli.run("contract", "list");
        assertThat(list.out()).as("nothing stored").doesNotContain("items");

        // a locked key with its passphrase from the vault is accepted
        ObjectNode locked = base.deepCopy();
        withSigner(locked.putObject("openpgp"), "locked-key").put("passphrase_secret", "locked-pass");
        ((ObjectNode) locked.get("openpgp")).put("sign_manifest", true);
        locked.put("name", "locked");
        CliRun.Result lockedOk = cli.run("contract", "import", Files.writeString(dir.resolve("locked.json"),
                locked.toString()).toString());
        assertThat(lockedOk.code()).as(lockedOk.all()).isZero();
        assertThat(lockedOk.all()).doesNotContain(PASSPHRASE);

        ObjectNode bound = base.deepCopy();
        withSigner(bound.putObject("openpgp"), "acme-signing");
        bound.put("name", "acme-bound");
        CliRun.Result boundOk = cli.run("contract", "import", Files.writeString(dir.resolve("bound.json"),
                bound.toString()).toString());
        assertThat(boundOk.code()).as("a key bound to the contract's own partner").withFailMessage(boundOk.all())
                .isZero();

        // a good one is stored, and its canonical text reads back with the keys as given
        ObjectNode good = base.deepCopy();
        withSigner(good.putObject("openpgp").put("sign_manifest", true), "our-signing-key");
        ((ObjectNode) good.get("openpgp")).putArray("encrypt_to").add(partnerKey);
        Path file = Files.writeString(dir.resolve("good.json"), good.toString());
        CliRun.Result ok = cli.run("contract", "import", file.toString());
        assertThat(ok.code()).as(ok.all()).isZero();
        CliRun.Result exported = cli.run("contract", "export", "items");
        Contract read = ContractCodec.parse(exported.out(), "exported");
        assertThat(read.openpgp().encryptTo()).containsExactly(partnerKey.strip() + "\n");
        assertThat(read.openpgp().signSecret()).isEqualTo("our-signing-key");
        assertThat(read.fileSuffix()).isEqualTo(".jsonl.zst.pgp");
        assertThat(ContractCodec.write(ContractCodec.parse(ContractCodec.write(read), "again")))
                .isEqualTo(ContractCodec.write(read));
    }

    private static ObjectNode withSigner(ObjectNode openpgp, String secret) {
        if (!openpgp.has("encrypt_to")) {
            openpgp.putArray("encrypt_to").add(partnerKey);
        }
        return openpgp.putObject("sign_with").put("secret", secret);
    }

    private void refused(CliRun cli, ObjectNode base, Consumer<ObjectNode> openpgp, String error) throws Exception {
        ObjectNode contract = base.deepCopy();
        openpgp.accept(contract.putObject("openpgp"));
        Path file = Files.writeString(dir.resolve("contract.json"), contract.toString());
        CliRun.Result r = cli.run("contract", "import", file.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains(error).doesNotContain("Exception").doesNotContain(NOT_A_KEY)
                .doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY BLOCK");
    }
}
