package dev.exportdesk.testing;

import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.secret.SecretException;
import dev.exportdesk.secret.SecretResolver;
import java.util.Map;

/**
 * Credentials for transport tests that exercise a destination on its own, without a workspace:
 * environment variables from {@code env}, whatever the scope (scopes are tested through the
 * workspace's resolver in SecretScopeAttackTest).
 */
public final class TestSecrets {
    private TestSecrets() {
    }

    public static SecretResolver fromEnv(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return (SecretRef ref, String scope) -> {
            String v = ref.env() == null ? null : copy.get(ref.env());
            if (v == null) {
                throw new SecretException(ref.describe() + " is not set");
            }
            return v;
        };
    }
}
