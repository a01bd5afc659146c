package dev.exportdesk.secret;

import dev.exportdesk.contract.SecretRef;
import java.util.Map;

/** {@link SecretResolver#of}: every value checked against its administrator-set scope first. */
record ScopedResolver(SecretVault vault, EnvAllowList allowed, Map<String, String> env, String actor)
        implements SecretResolver {

    @Override
    public String resolve(SecretRef ref, String scope) {
        if (ref.env() != null) {
            allowed.check(ref.env(), scope, actor);
            String v = env.get(ref.env());
            if (v == null || v.isEmpty()) {
                throw new SecretException("environment variable " + ref.env() + " is not set");
            }
            return v;
        }
        return vault.get(ref.secret(), scope, actor);
    }

    @Override
    public SecretResolver as(String otherActor) {
        return new ScopedResolver(vault, allowed, env, otherActor);
    }
}
