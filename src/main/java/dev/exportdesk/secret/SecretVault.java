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
 * another name does not decrypt. Each secret is bound to one {@link SecretScope} (also in the
 * associated data) and {@link #get} hands it out only for a destination of that scope. Values are
 * never logged and never leave this class except to the caller of {@link #get}.
 */
public final class SecretVault {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final StateStore store;
    private final Supplier<MasterKey> keys;
    private final Clock clock;
    private MasterKey key;

    public SecretVault(StateStore store, Supplier<MasterKey> keys, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
    }

    /** A stored secret's metadata (never its value); {@code scope} is null until an administrator sets it. */
    public record Entry(String name, String scope, String keySource, Instant updatedAt) {
    }

    /** Stores (or replaces) a secret that may only be sent to {@code scope} ({@link SecretScope#parse}). */
    public void set(String name, String value, String scope, String actor) {
        checkName(name);
        String bound = SecretScope.parse(scope);
        MasterKey k = key();
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, k, nonce, name, bound, value.getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        store.updateDurably(c -> {
            boolean existed = find(c, name).isPresent();
            try (PreparedStatement st = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
                st.setString(1, name);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO secrets(name, key_source, nonce, ciphertext, "
                    + "updated_at, scope) VALUES (?, ?, ?, ?, ?, ?)")) {
                st.setString(1, name);
                st.setString(2, k.source());
                st.setString(3, Base64.getEncoder().encodeToString(nonce));
                st.setString(4, Base64.getEncoder().encodeToString(sealed));
                st.setObject(5, now.atOffset(ZoneOffset.UTC));
                st.setString(6, bound);
                st.executeUpdate();
            }
            store.audit().append(c, now, actor, existed ? "secret.replace" : "secret.set", "secret " + name, null,
                    json("key_source", k.source(), "scope", bound));
        });
    }

    /**
     * Binds a stored secret to another scope (or a secret stored before scopes to its first one). The
     * value is re-encrypted with the scope as associated data, so a scope changed in the store by
     * anything but this method makes the secret undecryptable rather than sendable elsewhere.
     */
    public void scope(String name, String scope, String actor) {
        checkName(name);
        String bound = SecretScope.parse(scope);
        Instant now = clock.instant();
        MasterKey k = key();
        store.updateDurably(c -> {
            Stored row = read(c, name);
            byte[] plain = decrypt(k, name, row);
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, k, nonce, name, bound, plain);
            java.util.Arrays.fill(plain, (byte) 0);
            try (PreparedStatement st = c.prepareStatement("UPDATE secrets SET nonce = ?, ciphertext = ?, scope = ?, "
                    + "updated_at = ? WHERE name = ?")) {
                st.setString(1, Base64.getEncoder().encodeToString(nonce));
                st.setString(2, Base64.getEncoder().encodeToString(sealed));
                st.setString(3, bound);
                st.setObject(4, now.atOffset(ZoneOffset.UTC));
                st.setString(5, name);
                st.executeUpdate();
            }
            store.audit().append(c, now, actor, "secret.scope", "secret " + name, json("scope", row.scope()),
                    json("scope", bound));
        });
    }

    /**
     * The value, for sending to a destination of {@code destinationScope} only. A secret bound to
     * another scope, or to none yet, is refused, and the refusal is audited ({@code secret.refused},
     * naming the secret and the destination, never the value).
     */
    public String get(String name, String destinationScope, String actor) {
        checkName(name);
        Stored row = store.inTransaction(c -> read(c, name));
        if (row.scope() == null) {
            throw refuse(name, destinationScope, null, actor, "secret \"" + name + "\" has no scope yet, so it is not "
                    + "sent anywhere; an administrator binds it to its destination with `exportdesk secret scope "
                    + name + " " + destinationScope + "`");
        }
        if (!SecretScope.covers(row.scope(), destinationScope)) {
            throw refuse(name, destinationScope, row.scope(), actor, "secret \"" + name + "\" may only be sent to "
                    + row.scope() + ", not to " + destinationScope + " (refused and audited)");
        }
        return new String(decrypt(key(), name, row), StandardCharsets.UTF_8);
    }

    private SecretException refuse(String name, String destination, String bound, String actor, String message) {
        Instant now = clock.instant();
        store.updateDurably(c -> store.audit().append(c, now, actor, "secret.refused", "secret " + name, null,
                json("destination", destination, "scope", bound)));
        return new SecretException(message);
    }

    private record Stored(String keySource, String nonce, String ciphertext, String scope) {
    }

    private static Stored read(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT key_source, nonce, ciphertext, scope FROM secrets WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SecretException("no secret named \"" + name + "\" in this workspace (exportdesk secret "
                            + "set " + name + " --scope …)");
                }
                return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    private static byte[] decrypt(MasterKey k, String name, Stored row) {
        if (!k.source().equals(row.keySource())) {
            throw new SecretException("secret \"" + name + "\" was stored with the " + row.keySource() + " key, but the "
                    + k.source() + " key is in use (check " + MasterKey.MASTER_SECRET_ENV + ")");
        }
        return crypt(Cipher.DECRYPT_MODE, k, Base64.getDecoder().decode(row.nonce()), name, row.scope(),
                Base64.getDecoder().decode(row.ciphertext()));
    }

    /**
     * For {@code store copy-to}: a {@code secrets} row sealed under {@code from} (the solo key) comes
     * out sealed under {@code to} (the team's), with a fresh nonce and the same name and scope bound in.
     */
    public static dev.exportdesk.store.TeamStoreCopy.RowRewrite reseal(MasterKey from, MasterKey to) {
        return row -> {
            String name = (String) row.get("name");
            Stored stored = new Stored((String) row.get("key_source"), (String) row.get("nonce"),
                    (String) row.get("ciphertext"), (String) row.get("scope"));
            byte[] plain = decrypt(from, name, stored);
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, to, nonce, name, stored.scope(), plain);
            java.util.Arrays.fill(plain, (byte) 0);
            row.put("key_source", to.source());
            row.put("nonce", Base64.getEncoder().encodeToString(nonce));
            row.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
        };
    }

    /** A small audit JSON object of string pairs (null values as JSON null). */
    static String json(String... pairs) {
        com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            o.put(pairs[i], pairs[i + 1]);
        }
        return o.toString();
    }

    public List<Entry> list() {
        return store.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT name, scope, key_source, updated_at FROM secrets ORDER BY name");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant()));
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

    /** Scoped records bind name and scope (format 2); records from before scopes bind the name only (1). */
    private static byte[] crypt(int mode, MasterKey k, byte[] nonce, String name, String scope, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, k.key(), new GCMParameterSpec(128, nonce));
            String aad = scope == null ? "exportdesk-secret/1:" + name : "exportdesk-secret/2:" + name + "\n" + scope;
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new SecretException("secret \"" + name + "\" cannot be decrypted: wrong workspace key, or the "
                    + "record was tampered with", e);
        } catch (GeneralSecurityException e) {
            throw new SecretException("secret \"" + name + "\": cipher failure: " + e.getMessage(), e);
        }
    }
}
