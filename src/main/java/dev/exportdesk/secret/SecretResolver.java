package dev.exportdesk.secret;

import dev.exportdesk.contract.SecretRef;
import java.util.Map;

/**
 * Turns a contract's {@link SecretRef} into the credential, at the last moment before use, for one
 * destination: {@code scope} ({@link SecretScope#of}) is where the value is about to be sent, and a
 * reference not bound to that scope is refused.
 */
@FunctionalInterface
public interface SecretResolver {

    String resolve(SecretRef ref, String scope);

    /**
     * The vault behind this resolver, for an administrator's form that stores a destination's
     * credential as it saves the destination; contexts without a vault (some tests) have none.
     */
    default SecretVault vault() {
        throw new SecretException("this workspace context has no secret vault");
    }

    /**
     * Our OpenPGP signing key and its passphrase by secret name for {@code partner}'s contracts
     * ({@code openpgp.sign_with}): only secrets an administrator bound to that partner's
     * {@link SecretScope#openPgpSign} scope, or to {@link SecretScope#OPENPGP_SIGN} (every partner).
     */
    default java.util.function.Function<String, String> openPgp(String partner) {
        return name -> resolve(SecretRef.secret(name), SecretScope.openPgpSign(partner));
    }

    /**
     * A partner's masking keys by secret name (contracts' {@code masking.hmac_secret}): only secrets an
     * administrator bound to that partner's {@link SecretScope#masking} scope.
     */
    default java.util.function.Function<String, String> masking(String partner) {
        return name -> resolve(SecretRef.secret(name), SecretScope.masking(partner));
    }

    /** The same resolver, auditing its refusals as {@code actor}. */
    default SecretResolver as(String actor) {
        return this;
    }

    /**
     * Workspace secrets from {@code vault} and environment variables from {@code env}, each only for
     * the scope an administrator bound it to (the vault's scopes, {@code allowed}); refusals are
     * audited as {@code actor}.
     */
    static SecretResolver of(SecretVault vault, EnvAllowList allowed, Map<String, String> env, String actor) {
        return new ScopedResolver(vault, allowed, Map.copyOf(env), actor);
    }
}
