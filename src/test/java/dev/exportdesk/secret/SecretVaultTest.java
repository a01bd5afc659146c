package dev.exportdesk.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-256-GCM secrets at rest: round trip, name bound as associated data, wrong key refused, key hygiene. */
class SecretVaultTest {
    @TempDir
    Path dir;

    static final String S = "sftp://partner.example:22";

    SecretVault vault(Workspace ws, Map<String, String> env) {
        return new SecretVault(ws.store(), () -> MasterKey.load(ws.root(), env), Clock.systemUTC());
    }

    @Test
    void roundTripsAndListsWithoutValues() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            SecretVault v = vault(ws, Map.of());
            v.set("acme-sftp", "s3cr3t-välue\nline2", S, "test");
            v.set("acme-sftp", "replaced", S, "test");
            assertThat(v.get("acme-sftp", S, "test")).isEqualTo("replaced");
            assertThat(v.list()).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("acme-sftp");
                assertThat(e.keySource()).isEqualTo("keyfile");
            });
            EnvAllowList allowed = new EnvAllowList(ws.store(), Clock.systemUTC());
            allowed.allow("X", S, "test");
            assertThat(SecretResolver.of(v, allowed, Map.of("X", "from-env"), "test").resolve(SecretRef.env("X"), S))
                    .isEqualTo("from-env");
            assertThat(v.remove("acme-sftp", "test")).isTrue();
            assertThatThrownBy(() -> v.get("acme-sftp", S, "test")).isInstanceOf(SecretException.class)
                    .hasMessageContaining("no secret named");
        }
        assertThat(PosixFilePermissions.toString(uncheckedPerms(dir.resolve("ws/secrets/master.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aCiphertextMovedToAnotherNameDoesNotDecrypt() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            SecretVault v = vault(ws, Map.of());
            v.set("one", "value-one", S, "test");
            v.set("two", "value-two", S, "test");
            ws.store().update(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET (nonce, ciphertext) = "
                        + "(SELECT nonce, ciphertext FROM secrets WHERE name = 'one') WHERE name = 'two'")) {
                    st.executeUpdate();
                }
            });
            assertThatThrownBy(() -> v.get("two", S, "test")).isInstanceOf(SecretException.class)
                    .hasMessageContaining("cannot be decrypted").hasMessageNotContaining("value-one");
        }
    }

    @Test
    void masterSecretDerivesTheKeyAndAWrongOneIsRefused() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            vault(ws, Map.of(MasterKey.MASTER_SECRET_ENV, "correct horse")).set("k", "v", S, "test");
            assertThat(vault(ws, Map.of(MasterKey.MASTER_SECRET_ENV, "correct horse")).get("k", S, "test")).isEqualTo("v");
            assertThatThrownBy(() -> vault(ws, Map.of(MasterKey.MASTER_SECRET_ENV, "wrong")).get("k", S, "test"))
                    .isInstanceOf(SecretException.class).hasMessageContaining("cannot be decrypted");
            assertThatThrownBy(() -> vault(ws, Map.of()).get("k", S, "test")).isInstanceOf(SecretException.class)
                    .hasMessageContaining("pbkdf2");
        }
        assertThat(MasterKey.PBKDF2_ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }

    @Test
    void aKeyFileReadableByOthersIsRefused() throws Exception {
        Path key = dir.resolve("outside/master.key");
        Files.createDirectories(key.getParent());
        Files.write(key, new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKey.load(dir.resolve("ws"), Map.of(MasterKey.KEY_FILE_ENV, key.toString())))
                .isInstanceOf(SecretException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(MasterKey.load(dir.resolve("ws"), Map.of(MasterKey.KEY_FILE_ENV, key.toString())).source())
                .isEqualTo("keyfile");
    }

    @Test
    void aSecretIsOnlyHandedOutForItsScopeAndAScopeEditedInTheStoreDoesNotDecrypt() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            SecretVault v = vault(ws, Map.of());
            v.set("acme", "value", "sftp://Partner.Example", "admin");
            assertThat(v.list()).singleElement().extracting(SecretVault.Entry::scope).isEqualTo(S);
            assertThat(v.get("acme", S, "op")).isEqualTo("value");
            assertThatThrownBy(() -> v.get("acme", "sftp://evil.example:22", "op"))
                    .isInstanceOf(SecretException.class).hasMessageContaining("may only be sent to " + S)
                    .hasMessageNotContaining("value\"");
            ws.store().update(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET scope = 'sftp://evil.example:22'")) {
                    st.executeUpdate();
                }
            });
            assertThatThrownBy(() -> v.get("acme", "sftp://evil.example:22", "op"))
                    .isInstanceOf(SecretException.class).hasMessageContaining("cannot be decrypted");
            java.util.List<dev.exportdesk.store.AuditEntry> audit =
                    ws.store().inTransaction(c -> ws.store().audit().recent(c, 100));
            assertThat(audit)
                    .filteredOn(e -> e.action().equals("secret.refused")).singleElement()
                    .satisfies(e -> assertThat(e.after()).contains("sftp://evil.example:22").doesNotContain("value"));
        }
    }

    @Test
    void aSecretStoredBeforeScopesIsRefusedUntilAnAdministratorBindsIt() throws Exception {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            MasterKey key = MasterKey.load(ws.root(), Map.of());
            byte[] nonce = new byte[12];
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, key.key(), new javax.crypto.spec.GCMParameterSpec(128, nonce));
            cipher.updateAAD("exportdesk-secret/1:old".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal("legacy-value".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ws.store().update(c -> {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO secrets(name, key_source, nonce, "
                        + "ciphertext, updated_at) VALUES ('old', 'keyfile', ?, ?, CURRENT_TIMESTAMP)")) {
                    st.setString(1, java.util.Base64.getEncoder().encodeToString(nonce));
                    st.setString(2, java.util.Base64.getEncoder().encodeToString(sealed));
                    st.executeUpdate();
                }
            });
            SecretVault v = vault(ws, Map.of());
            assertThatThrownBy(() -> v.get("old", S, "op")).isInstanceOf(SecretException.class)
                    .hasMessageContaining("has no scope yet").hasMessageContaining("exportdesk secret scope old " + S);
            v.scope("old", S, "admin");
            assertThat(v.get("old", S, "op")).isEqualTo("legacy-value");
            assertThatThrownBy(() -> v.scope("old", "ftp://x", "admin")).isInstanceOf(SecretException.class)
                    .hasMessageContaining("sftp://HOST[:PORT]");
        }
    }

    @Test
    void scopesAreCanonical() {
        assertThat(SecretScope.parse("sftp://SFTP.acme.example")).isEqualTo("sftp://sftp.acme.example:22");
        assertThat(SecretScope.parse("s3://objects.acme.example/acme-inbound"))
                .isEqualTo("s3://objects.acme.example:443/acme-inbound");
        assertThat(SecretScope.parse("s3://aws/acme-inbound")).isEqualTo("s3://aws/acme-inbound");
        assertThat(SecretScope.parse("source:shop")).isEqualTo("source:shop");
        assertThat(SecretScope.sftp("::1", 22)).isEqualTo(SecretScope.parse("sftp://[::1]:22"));
        for (String bad : new String[] {"sftp://a:0", "sftp://a/x", "s3://a", "http://a", "sftp://a b", ""}) {
            assertThatThrownBy(() -> SecretScope.parse(bad)).as(bad).isInstanceOf(SecretException.class);
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPerms(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
