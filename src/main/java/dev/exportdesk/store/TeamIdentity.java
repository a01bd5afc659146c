package dev.exportdesk.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The one row of {@code team_store}: the store's id, the PBKDF2 salt every machine derives the
 * team's master key with, a check value of that key (HMAC-SHA256 of a fixed label and the id, never
 * the key) and the ledger's Ed25519 signing key sealed under it.
 */
public record TeamIdentity(String storeId, Instant createdAt, String keySource, String salt, String keyCheck,
                           String ledgerPublicKey, Sealed ledgerPrivateKey) {
    private static final String CHECK_LABEL = "exportdesk team store key check/1\n";
    private static final String LEDGER_LABEL = "exportdesk team store ledger key/1\n";

    /** The ledger's signing key pair, DER encoded (PKCS#8 private, X.509 public). */
    public record LedgerKeyPair(byte[] privateKey, byte[] publicKey) {
    }

    static byte[] newSalt() {
        return KeyMaterial.randomBytes(16);
    }

    /** A new store's identity under {@code key} (derived with {@code salt}), with a fresh ledger key. */
    static TeamIdentity create(KeyMaterial key, byte[] salt, Instant now) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return create(key, salt, now, new LedgerKeyPair(pair.getPrivate().getEncoded(),
                    pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot create the ledger's signing key: " + e.getMessage(), e);
        }
    }

    static TeamIdentity create(KeyMaterial key, byte[] salt, Instant now, LedgerKeyPair ledger) {
        String id = HexFormat.of().formatHex(KeyMaterial.randomBytes(16));
        return new TeamIdentity(id, now, key.source(), Base64.getEncoder().encodeToString(salt),
                check(key.key(), id), Base64.getEncoder().encodeToString(ledger.publicKey()),
                Sealed.seal(key.key(), LEDGER_LABEL + id, ledger.privateKey()));
    }

    /** The same store with another ledger key: {@code store copy-to} carries the solo workspace's. */
    TeamIdentity withLedgerKey(KeyMaterial key, LedgerKeyPair ledger) {
        return new TeamIdentity(storeId, createdAt, keySource, salt, keyCheck,
                Base64.getEncoder().encodeToString(ledger.publicKey()),
                Sealed.seal(key.key(), LEDGER_LABEL + storeId, ledger.privateKey()));
    }

    public byte[] saltBytes() {
        return Base64.getDecoder().decode(salt);
    }

    /** Refuses a key that is not the team's, naming the settings that choose it. */
    public void requireKey(KeyMaterial key) {
        if (!keySource.equals(key.source())) {
            throw new StoreConfigException("the team store " + storeId + " is protected by a "
                    + describe(keySource) + ", but this machine uses a " + describe(key.source()) + "; set "
                    + (KeyMaterial.PBKDF2.equals(keySource) ? KeyMaterial.MASTER_SECRET_ENV + " to the team's master "
                    + "secret" : KeyMaterial.KEY_FILE_ENV + " to the team's key file and unset "
                    + KeyMaterial.MASTER_SECRET_ENV) + ". Nothing was written.");
        }
        byte[] expected = keyCheck.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = check(key.key(), storeId).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new StoreConfigException("this machine's master key is not the team store's (store " + storeId
                    + "): set " + (KeyMaterial.PBKDF2.equals(keySource) ? KeyMaterial.MASTER_SECRET_ENV
                    : KeyMaterial.KEY_FILE_ENV) + " to the team's " + (KeyMaterial.PBKDF2.equals(keySource)
                    ? "master secret" : "key file") + " (" + KeyMaterial.MASTER_SECRET_ENV + " / "
                    + KeyMaterial.KEY_FILE_ENV + "). Nothing was written.");
        }
    }

    public LedgerKeyPair ledgerKey(KeyMaterial key) {
        return new LedgerKeyPair(ledgerPrivateKey.open(key.key(), LEDGER_LABEL + storeId, "the ledger's signing key"),
                Base64.getDecoder().decode(ledgerPublicKey));
    }

    private static String describe(String source) {
        return KeyMaterial.PBKDF2.equals(source) ? "master secret (" + KeyMaterial.MASTER_SECRET_ENV + ")"
                : "key file (" + KeyMaterial.KEY_FILE_ENV + ")";
    }

    private static String check(SecretKey key, String storeId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((CHECK_LABEL + storeId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot compute the key check: " + e.getMessage(), e);
        }
    }

    static Optional<TeamIdentity> read(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT store_id, created_at, key_source, pbkdf2_salt, key_check, "
                + "ledger_public_key, ledger_key_nonce, ledger_key_sealed FROM team_store WHERE singleton = 1");
             ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new TeamIdentity(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    new Sealed(rs.getString(7), rs.getString(8))));
        }
    }

    /** Inserts the row; two machines initialising at once meet on the primary key, and one wins. */
    void insert(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO team_store(singleton, store_id, created_at, "
                + "key_source, pbkdf2_salt, key_check, ledger_public_key, ledger_key_nonce, ledger_key_sealed) "
                + "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, storeId);
            st.setObject(2, createdAt.atOffset(ZoneOffset.UTC));
            st.setString(3, keySource);
            st.setString(4, salt);
            st.setString(5, keyCheck);
            st.setString(6, ledgerPublicKey);
            st.setString(7, ledgerPrivateKey.nonce());
            st.setString(8, ledgerPrivateKey.ciphertext());
            st.executeUpdate();
        }
    }

    void updateLedgerKey(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE team_store SET ledger_public_key = ?, "
                + "ledger_key_nonce = ?, ledger_key_sealed = ? WHERE singleton = 1 AND store_id = ?")) {
            st.setString(1, ledgerPublicKey);
            st.setString(2, ledgerPrivateKey.nonce());
            st.setString(3, ledgerPrivateKey.ciphertext());
            st.setString(4, storeId);
            if (st.executeUpdate() != 1) {
                throw new StoreException("the team store's identity changed while its ledger key was being set");
            }
        }
    }
}
