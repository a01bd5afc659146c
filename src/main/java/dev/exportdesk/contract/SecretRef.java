package dev.exportdesk.contract;

/**
 * Where a credential comes from: a named secret stored encrypted in the workspace
 * ({@code exportdesk secret set NAME}) or an environment variable. Exactly one is set. The value
 * itself never appears in a contract.
 */
public record SecretRef(String secret, String env) {
    public SecretRef {
        if ((secret == null) == (env == null)) {
            throw new IllegalArgumentException("a secret reference names exactly one of secret or env");
        }
    }

    public static SecretRef secret(String name) {
        return new SecretRef(name, null);
    }

    public static SecretRef env(String variable) {
        return new SecretRef(null, variable);
    }

    /** For messages: names the reference, never the value. */
    public String describe() {
        return secret != null ? "secret \"" + secret + "\"" : "environment variable " + env;
    }
}
