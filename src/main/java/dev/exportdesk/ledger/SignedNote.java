package dev.exportdesk.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The C2SP signed-note format (https://c2sp.org/signed-note) with Ed25519 signatures: the note
 * text (UTF-8, ending in a newline), a blank line, then one line per signature,
 * {@code — <key name> <base64(4-byte key id ‖ 64-byte signature)>}. The key id is the first four
 * bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key); the verifier key is published as
 * {@code <name>+<hex key id>+<base64(0x01 ‖ public key)>}.
 */
public final class SignedNote {
    static final String DASH = "\u2014 ";
    private static final byte ED25519 = 0x01;
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private SignedNote() {
    }

    /** The 32-byte raw Ed25519 public key inside a JDK public key. */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    static byte[] keyId(String name, byte[] rawPublicKey) {
        MessageDigest md = Merkle.sha256();
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(ED25519);
        md.update(rawPublicKey);
        return Arrays.copyOf(md.digest(), 4);
    }

    public static String verifierKey(String name, PublicKey key) {
        byte[] raw = rawPublicKey(key);
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(raw, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId(name, raw)) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** Signs {@code text} (which must end in a newline) and returns the whole signed note. */
    public static String sign(String text, String name, PrivateKey privateKey, PublicKey publicKey) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = s.sign();
            byte[] blob = new byte[4 + sig.length];
            System.arraycopy(keyId(name, rawPublicKey(publicKey)), 0, blob, 0, 4);
            System.arraycopy(sig, 0, blob, 4, sig.length);
            return text + "\n" + DASH + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies a signed note against a published verifier key and returns its text, or throws
     * {@link LedgerException} saying what is wrong.
     */
    public static String open(String note, String verifierKey) {
        String[] vk = verifierKey.trim().split("\\+", 3);
        if (vk.length != 3) {
            throw new LedgerException("verifier key is not <name>+<id>+<key>");
        }
        String name = vk[0];
        byte[] typed;
        byte[] id;
        try {
            typed = Base64.getDecoder().decode(vk[2]);
            id = HexFormat.of().parseHex(vk[1]);
        } catch (IllegalArgumentException e) {
            throw new LedgerException("verifier key is malformed: " + e.getMessage());
        }
        if (typed.length != 33 || typed[0] != ED25519) {
            throw new LedgerException("verifier key is not an Ed25519 key");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        if (!Arrays.equals(id, keyId(name, raw))) {
            throw new LedgerException("verifier key id does not match its key");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new LedgerException("not a signed note (no blank line before the signatures)");
        }
        String text = note.substring(0, split + 1);
        boolean sawKey = false;
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                throw new LedgerException("malformed signature line: " + line);
            }
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2 || !parts[0].equals(name)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new LedgerException("signature is not base64");
            }
            if (blob.length != 68 || !Arrays.equals(Arrays.copyOf(blob, 4), id)) {
                continue;
            }
            sawKey = true;
            if (verify(raw, text, Arrays.copyOfRange(blob, 4, 68))) {
                return text;
            }
        }
        throw new LedgerException(sawKey ? "signature by " + name + " does not verify (the note was changed)"
                : "no signature by key " + name);
    }

    private static boolean verify(byte[] raw, String text, byte[] sig) {
        try {
            byte[] enc = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, enc, 0, X509_PREFIX.length);
            System.arraycopy(raw, 0, enc, X509_PREFIX.length, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(enc));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
