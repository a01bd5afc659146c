package dev.exportdesk.secret;

import dev.exportdesk.store.KeyMaterial;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The AES-256 key that protects workspace secrets ({@link KeyMaterial}): from a master secret in
 * {@value #MASTER_SECRET_ENV} (PBKDF2-HMAC-SHA256, {@value #PBKDF2_ITERATIONS} iterations, the
 * workspace's salt, or the team store's), or from a 32-byte key file with owner-only permissions
 * ({@value #KEY_FILE_ENV}, default {@code <workspace>/secrets/master.key}, created on first use).
 */
public record MasterKey(String source, SecretKey key) {
    public static final String MASTER_SECRET_ENV = KeyMaterial.MASTER_SECRET_ENV;
    public static final String KEY_FILE_ENV = KeyMaterial.KEY_FILE_ENV;
    public static final int PBKDF2_ITERATIONS = KeyMaterial.PBKDF2_ITERATIONS;

    /** A solo workspace's key. */
    public static MasterKey load(Path workspaceRoot, Map<String, String> env) {
        try {
            KeyMaterial k = KeyMaterial.local(workspaceRoot, env);
            return new MasterKey(k.source(), k.key());
        } catch (StoreException e) {
            throw new SecretException(e.getMessage(), e);
        }
    }

    /** The open workspace's key: a team store's was derived and checked when it was opened. */
    public static MasterKey of(Workspace workspace, Map<String, String> env) {
        return workspace.teamKey().map(k -> new MasterKey(k.source(), k.key()))
                .orElseGet(() -> load(workspace.root(), env));
    }
}
