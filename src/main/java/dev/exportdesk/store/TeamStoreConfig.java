package dev.exportdesk.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * How a workspace reaches its team store: {@code state/team-store.json} (written by
 * {@code store init}, owner-only: URL, user, the key's kind and salt, and the password sealed under
 * the master key, never in plain text), overridden for automation by {@value #URL_ENV},
 * {@value #USER_ENV} and {@value #PASSWORD_ENV}.
 */
public record TeamStoreConfig(String url, String user, String keySource, String salt, Sealed password) {
    public static final String URL_ENV = "EXPORTDESK_STORE_URL";
    public static final String USER_ENV = "EXPORTDESK_STORE_USER";
    public static final String PASSWORD_ENV = "EXPORTDESK_STORE_PASSWORD";
    /** A file holding the password, for service managers that hand secrets over as files (systemd credentials). */
    public static final String PASSWORD_FILE_ENV = "EXPORTDESK_STORE_PASSWORD_FILE";
    private static final int MAX_PASSWORD_FILE = 4096;
    static final String FILE = "team-store.json";
    private static final String PASSWORD_LABEL = "exportdesk team store password/1\n";
    private static final int MAX_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a team workspace's store is, and the password to reach it with, or empty for a solo workspace. */
    public record Settings(String url, String user, Optional<String> envPassword, Optional<TeamStoreConfig> file) {
    }

    public static Path file(Path workspaceRoot) {
        return workspaceRoot.resolve("state").resolve(FILE);
    }

    /** The store's password from {@value #PASSWORD_ENV}, else from the file {@value #PASSWORD_FILE_ENV} names. */
    public static Optional<String> passwordFromEnv(Map<String, String> env) {
        return nonEmpty(env.get(PASSWORD_ENV))
                .or(() -> nonEmpty(env.get(PASSWORD_FILE_ENV)).map(TeamStoreConfig::passwordFile));
    }

    /** The environment wins over the file, so automation can point any workspace at a store. */
    public static Optional<Settings> resolve(Path workspaceRoot, Map<String, String> env) {
        Optional<TeamStoreConfig> file = read(file(workspaceRoot));
        Optional<String> password = passwordFromEnv(env);
        Optional<String> url = nonEmpty(env.get(URL_ENV));
        if (url.isPresent()) {
            StoreUrl.check(URL_ENV, url.get());
            String user = nonEmpty(env.get(USER_ENV)).orElseThrow(() -> new StoreConfigException(USER_ENV
                    + " is required with " + URL_ENV));
            // the file's sealed password serves only the very store and user it was sealed for
            Optional<TeamStoreConfig> same = file.filter(f -> f.url().equals(url.get()) && f.user().equals(user));
            return Optional.of(new Settings(url.get(), user, password, same));
        }
        return file.map(f -> new Settings(f.url(), f.user(), password, Optional.of(f)));
    }

    /** The config for a store whose identity is {@code identity}, with the password sealed when given. */
    static TeamStoreConfig of(String url, String user, TeamIdentity identity, KeyMaterial key, Optional<String> password) {
        return new TeamStoreConfig(url, user, identity.keySource(), identity.salt(), password.map(p -> Sealed.seal(
                key.key(), label(url, user), p.getBytes(StandardCharsets.UTF_8))).orElse(null));
    }

    Optional<String> openPassword(KeyMaterial key) {
        return Optional.ofNullable(password).map(p -> new String(p.open(key.key(), label(url, user),
                "the team store's password in " + FILE), StandardCharsets.UTF_8));
    }

    byte[] saltBytes() {
        return Base64.getDecoder().decode(salt);
    }

    void write(Path workspaceRoot) {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", url);
        o.put("user", user);
        o.put("key_source", keySource);
        o.put("salt", salt);
        if (password != null) {
            o.putObject("password").put("nonce", password.nonce()).put("ciphertext", password.ciphertext());
        }
        StoreFiles.writeOwnerOnly(file(workspaceRoot), o.toPrettyString());
    }

    private static String label(String url, String user) {
        return PASSWORD_LABEL + url + "\n" + user;
    }

    private static Optional<TeamStoreConfig> read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                throw new StoreConfigException(file + " must be a regular file of at most " + MAX_BYTES + " bytes");
            }
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String url = StoreUrl.check(file + ": url", text(n, "url", file));
            JsonNode pw = n.get("password");
            Sealed sealed = pw == null || pw.isNull() ? null : new Sealed(text(pw, "nonce", file),
                    text(pw, "ciphertext", file));
            String source = text(n, "key_source", file);
            if (!source.equals(KeyMaterial.PBKDF2) && !source.equals(KeyMaterial.KEY_FILE)) {
                throw new StoreConfigException(file + ": key_source must be " + KeyMaterial.PBKDF2 + " or "
                        + KeyMaterial.KEY_FILE);
            }
            return Optional.of(new TeamStoreConfig(url, text(n, "user", file), source, text(n, "salt", file), sealed));
        } catch (IOException e) {
            throw new StoreConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, Path file) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 1000) {
            throw new StoreConfigException(file + ": \"" + field + "\" is missing or not a short text");
        }
        return v.asText();
    }

    /**
     * Reads the password file named by {@value #PASSWORD_FILE_ENV}: a regular file, not a link, readable by
     * its owner only (like the key file), at most {@value #MAX_PASSWORD_FILE} bytes; one final newline dropped.
     */
    private static String passwordFile(String name) {
        Path path = Path.of(name);
        try {
            PosixFileAttributes attrs = Files.readAttributes(path,
                    PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > MAX_PASSWORD_FILE) {
                throw new StoreConfigException(PASSWORD_FILE_ENV + ": " + path + " is not a regular file of at most "
                        + MAX_PASSWORD_FILE + " bytes");
            }
            if (attrs.permissions().stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new StoreConfigException(PASSWORD_FILE_ENV + ": " + path + " is readable by others ("
                        + PosixFilePermissions.toString(attrs.permissions()) + "); run chmod 600 on it");
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new StoreConfigException(PASSWORD_FILE_ENV + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
