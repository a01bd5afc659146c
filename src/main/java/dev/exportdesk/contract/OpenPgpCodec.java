package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.pgp.PartnerKey;
import dev.exportdesk.pgp.PgpException;
import dev.exportdesk.pgp.PgpKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contract's {@code openpgp} object (docs/contracts.md). Keys are checked here for what does not
 * change with time — one public certificate with an encryption key of accepted strength — so a
 * stored contract always reads back; whether a key has expired, and whether the signing secret
 * exists and unlocks, is checked at import and again by each run.
 */
final class OpenPgpCodec {
    private static final String PUBLIC_ARMOR = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private static final String SECRET_ARMOR = "-----BEGIN PGP PRIVATE KEY BLOCK-----";

    private OpenPgpCodec() {
    }

    static OpenPgpSpec read(JsonFields o) {
        if (o == null) {
            return null;
        }
        o.rejectUnknown(Set.of("encrypt_to", "sign_with", "sign_manifest"));
        List<String> keys = recipients(o);
        String sign = null;
        String passphrase = null;
        JsonFields s = o.object("sign_with", false);
        if (s != null) {
            s.rejectUnknown(Set.of("secret", "passphrase_secret"));
            sign = s.string("secret", true, ContractCodec.SAFE_NAME, "must be the name of a secret in the vault "
                    + "(exportdesk secret set NAME --scope openpgp:sign:PARTNER, or openpgp:sign for every partner)",
                    ContractCodec.MAX_NAME);
            passphrase = s.string("passphrase_secret", false, ContractCodec.SAFE_NAME, "must be the name of a "
                    + "secret in the vault", ContractCodec.MAX_NAME);
        }
        boolean signManifest = o.has("sign_manifest") && o.bool("sign_manifest");
        if (signManifest && s == null) {
            o.error("sign_manifest", "needs \"sign_with\": the manifest is signed with our signing key");
        }
        return keys == null ? null : new OpenPgpSpec(keys, sign, passphrase, signManifest);
    }

    private static List<String> recipients(JsonFields o) {
        JsonNode list = o.raw("encrypt_to");
        if (list == null) {
            o.error("encrypt_to", "is required: the partner's ASCII-armored public key(s)");
            return null;
        }
        if (!list.isArray() || list.isEmpty() || list.size() > OpenPgpSpec.MAX_RECIPIENTS) {
            o.error("encrypt_to", "must be an array of 1 to " + OpenPgpSpec.MAX_RECIPIENTS + " ASCII-armored public "
                    + "keys");
            return null;
        }
        List<String> out = new ArrayList<>();
        Set<String> fingerprints = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String text = item.isTextual() ? item.asText().strip() : null;
            String problem = text == null ? "must be a string" : text.startsWith(SECRET_ARMOR)
                    ? "is a secret key: give the partner's public key only (a secret key never belongs in a contract)"
                    : !text.startsWith(PUBLIC_ARMOR) ? "must be an ASCII-armored public key (" + PUBLIC_ARMOR
                    + " …); nothing else, such as a file path, is read" : null;
            if (problem == null) {
                try {
                    PartnerKey key = PgpKeys.readPublic(text, o.path("encrypt_to") + "[" + i + "]", null);
                    if (!fingerprints.add(key.fingerprint())) {
                        problem = "repeats key " + key.fingerprint();
                    }
                } catch (PgpException e) {
                    // PgpKeys names the field first; the error carries it as its path
                    String message = e.getMessage();
                    int colon = message.indexOf(": ");
                    problem = colon > 0 ? message.substring(colon + 2) : message;
                }
            }
            if (problem != null) {
                o.error("encrypt_to", i, problem);
            } else {
                out.add(text + "\n");
            }
        }
        return out.size() == list.size() ? out : null;
    }

    static void write(ObjectNode root, OpenPgpSpec spec) {
        if (spec == null) {
            return;
        }
        ObjectNode o = root.putObject("openpgp");
        spec.encryptTo().forEach(o.putArray("encrypt_to")::add);
        if (spec.signed()) {
            ObjectNode s = o.putObject("sign_with");
            s.put("secret", spec.signSecret());
            if (spec.passphraseSecret() != null) {
                s.put("passphrase_secret", spec.passphraseSecret());
            }
        }
        if (spec.signManifest()) {
            o.put("sign_manifest", true);
        }
    }
}
