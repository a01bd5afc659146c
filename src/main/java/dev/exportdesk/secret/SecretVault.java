package dev.exportdesk.secret;

import dev.exportdesk.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Credentials at rest: each value is encrypted with AES-256-GCM under the {@link MasterKey}, with a
 * fresh 96-bit nonce, and the record's name bound in as associated data, so a ciphertext copied to
 * another name does not decrypt. Values are never logged and never leave this class except to the
 * caller of {@link #get}.
 */
public final class SecretVault {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final StateStore store;
    private final Supplier<MasterKey> keys;
    private final Clock clock;
    private MasterKey key;

    public SecretVault(StateStore store, Supplier<MasterKey> keys, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
    }

    /** A stored secret's metadata (never its value). */
    public record Entry(String name, String keySource, Instant updatedAt) {
    }

    public void set(String name, String value, String actor) {
        checkName(name);
        MasterKey k = key();
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, k, nonce, name, value.getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        store.updateDurably(c -> {
            boolean existed = find(c, name).isPresent();
            try (PreparedStatement st = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO secrets(name, key_source, nonce, ciphertext, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, name);
                st.setString(2, k.source());
                st.setString(3, Base64.getEncoder().encodeToString(nonce));
                st.setString(4, Base64.getEncoder().encodeToString(sealed));
                st.setObject(5, now.atOffset(ZoneOffset.UTC));
                st.executeUpdate();
            }
            store.audit().append(c, now, actor, existed ? "secret.replace" : "secret.set", "secret " + name, null,
                    "{\"key_source\":\"" + k.source() + "\"}");
        });
    }

    public String get(String name) {
        checkName(name);
        String[] row = store.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT key_source, nonce, ciphertext FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
                }
            }
        });
        if (row == null) {
            throw new SecretException("no secret named \"" + name + "\" in this workspace (exportdesk secret set "
                    + name + ")");
        }
        MasterKey k = key();
        if (!k.source().equals(row[0])) {
            throw new SecretException("secret \"" + name + "\" was stored with the " + row[0] + " key, but the "
                    + k.source() + " key is in use (check " + MasterKey.MASTER_SECRET_ENV + ")");
        }
        byte[] plain = crypt(Cipher.DECRYPT_MODE, k, Base64.getDecoder().decode(row[1]), name,
                Base64.getDecoder().decode(row[2]));
        return new String(plain, StandardCharsets.UTF_8);
    }

    public List<Entry> list() {
        return store.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT name, key_source, updated_at FROM secrets ORDER BY name");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        });
    }

    /** Returns whether a secret of that name existed. */
    public boolean remove(String name, String actor) {
        checkName(name);
        Instant now = clock.instant();
        return store.inDurableTransaction(c -> {
            int n;
            try (PreparedStatement st = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                n = st.executeUpdate();
            }
            if (n > 0) {
                store.audit().append(c, now, actor, "secret.remove", "secret " + name, null, null);
            }
            return n > 0;
        });
    }

    private static Optional<String> find(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT name FROM secrets WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private synchronized MasterKey key() {
        if (key == null) {
            key = keys.get();
        }
        return key;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SecretException("invalid secret name \"" + name + "\": 1-64 lowercase letters, digits, '.', "
                    + "'_' or '-'");
        }
    }

    private static byte[] crypt(int mode, MasterKey k, byte[] nonce, String name, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, k.key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(("exportdesk-secret/1:" + name).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new SecretException("secret \"" + name + "\" cannot be decrypted: wrong workspace key, or the "
                    + "record was tampered with", e);
        } catch (GeneralSecurityException e) {
            throw new SecretException("secret \"" + name + "\": cipher failure: " + e.getMessage(), e);
        }
    }
}
