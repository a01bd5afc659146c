package dev.exportdesk.chunk;

import dev.exportdesk.contract.ColumnMask;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One column value through its transform. Hashes take the value's canonical text (what the
 * unmasked chunk would show, in UTF-8) and give lowercase hex; NULL stays NULL under every transform
 * but {@code redact}, which writes {@link ColumnMask#REDACTED} in every row. Not thread-safe.
 */
final class ValueMasks {
    private static final HexFormat HEX = HexFormat.of();
    private final Mac hmac;
    private final MessageDigest sha = Hashing.sha256();

    ValueMasks(byte[] key) {
        try {
            if (key == null) {
                hmac = null;
            } else {
                hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    Object apply(ColumnMask mask, Object v) {
        if (mask == null) {
            return v;
        }
        return switch (mask.kind()) {
            case REDACT -> ColumnMask.REDACTED;
            case NULL, DROP -> null;
            case SHA256 -> v == null ? null : HEX.formatHex(sha.digest(bytes(v)));
            case HMAC_SHA256 -> v == null ? null : HEX.formatHex(keyed().doFinal(bytes(v)));
            case TRUNCATE -> v == null ? null : truncate(v.toString(), mask.length());
        };
    }

    private Mac keyed() {
        if (hmac == null) {
            throw new IllegalStateException("hmac_sha256 needs the partner's key (RowMask.keyless has none)");
        }
        return hmac;
    }

    private static byte[] bytes(Object v) {
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The first {@code n} code points, so a character outside the BMP is never cut in half. */
    private static String truncate(String s, int n) {
        return s.codePointCount(0, s.length()) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
    }
}
