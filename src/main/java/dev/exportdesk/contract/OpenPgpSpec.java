package dev.exportdesk.contract;

import java.util.List;

/**
 * A contract's {@code openpgp} object: chunks are encrypted at seal to every key of {@code encryptTo}
 * (the partner's ASCII-armored public keys, not secret), signed in the same message when
 * {@code signSecret} names our signing key in the vault (its passphrase, if any, in
 * {@code passphraseSecret}); {@code signManifest} adds a detached {@code manifest.json.asc}. The
 * signing key's value is never part of a contract, only its secret's name.
 */
public record OpenPgpSpec(List<String> encryptTo, String signSecret, String passphraseSecret, boolean signManifest) {
    /** The suffix of an encrypted chunk file, after the compression's: {@code chunk-000001.jsonl.zst.pgp}. */
    public static final String SUFFIX = ".pgp";
    /** The detached signature of a run's manifest, delivered just before the manifest. */
    public static final String MANIFEST_SIGNATURE = "manifest.json.asc";
    /** A partner may want a copy for a second team or an archive key; more is a mistake, not a need. */
    static final int MAX_RECIPIENTS = 8;

    public OpenPgpSpec {
        encryptTo = List.copyOf(encryptTo);
    }

    public boolean signed() {
        return signSecret != null;
    }
}
