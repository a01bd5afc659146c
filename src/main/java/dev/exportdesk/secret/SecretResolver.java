package dev.exportdesk.secret;

import dev.exportdesk.contract.SecretRef;
import java.util.Map;

/** Turns a contract's {@link SecretRef} into the credential, at the last moment before use. */
@FunctionalInterface
public interface SecretResolver {

    String resolve(SecretRef ref);

    /** Environment variables only: named workspace secrets are refused with a clear message. */
    static SecretResolver envOnly(Map<String, String> env) {
        return of(null, env);
    }

    /** Workspace secrets from {@code vault} (may be null) and environment variables from {@code env}. */
    static SecretResolver of(SecretVault vault, Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return ref -> {
            if (ref.env() != null) {
                String v = copy.get(ref.env());
                if (v == null || v.isEmpty()) {
                    throw new SecretException("environment variable " + ref.env() + " is not set");
                }
                return v;
            }
            if (vault == null) {
                throw new SecretException("secret \"" + ref.secret() + "\" cannot be read here: no workspace secret "
                        + "store is open");
            }
            return vault.get(ref.secret());
        };
    }
}
