package dev.exportdesk.secret;

import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.SftpDestinationSpec;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a credential may be sent, as one canonical string an administrator binds a secret or an
 * allow-listed environment variable to (documented in docs/transfers.md):
 * <ul>
 *   <li>{@code sftp://HOST:PORT} — an SFTP server (port 22 when omitted);</li>
 *   <li>{@code s3://HOST:PORT/BUCKET} — a bucket on an S3-compatible endpoint (port 443 when
 *   omitted; an {@code http://} endpoint without a port is port 80);</li>
 *   <li>{@code s3://aws/BUCKET} — a bucket on AWS itself (no endpoint in the contract);</li>
 *   <li>{@code source:NAME} — a source connection's credentials;</li>
 *   <li>{@code webhook:https://HOST:PORT} — the key that signs alerts to a webhook at that origin
 *   (port 443, or 80 for loopback http, when omitted);</li>
 *   <li>{@code smtp://HOST:PORT} — the password of the SMTP server alert e-mail leaves through;</li>
 *   <li>{@code openpgp:sign} — our OpenPGP signing key (and its passphrase), which never leaves this
 *   host: runs sign chunks and manifests with it in memory. A steward's contract can name only secrets
 *   an administrator bound here, never a destination's credential.</li>
 *   <li>{@code openpgp:sign:PARTNER} — a signing key (or passphrase) for that partner's contracts only:
 *   the key a partner was given to check our signatures cannot be made to sign another partner's
 *   deliveries. A key bound to {@code openpgp:sign} signs for every partner.</li>
 *   <li>{@code masking:PARTNER} — the key that pseudonymises columns ({@code hmac_sha256}) for that
 *   partner's contracts only, used on this host: a key bound to one partner cannot make another
 *   partner's pseudonyms, so two partners cannot join theirs.</li>
 * </ul>
 * Host names compare case-insensitively; nothing else is normalised, so a scope matches exactly
 * one destination and a look-alike host is a different scope.
 */
public final class SecretScope {
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}|\\[[0-9a-f:.]{2,45}\\]");
    private static final Pattern SFTP = Pattern.compile("sftp://([^/:]+|\\[[^]]+\\])(?::(\\d{1,5}))?");
    private static final Pattern S3 = Pattern.compile("s3://([^/:]+|\\[[^]]+\\])(?::(\\d{1,5}))?/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])");
    private static final Pattern SOURCE = Pattern.compile("source:[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern MASKING = Pattern.compile("masking:[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern OPENPGP_SIGN_PARTNER = Pattern.compile("openpgp:sign:[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SMTP = Pattern.compile("smtp://([^/:]+|\\[[^]]+\\])(?::(\\d{1,5}))?");
    private static final Pattern WEBHOOK = Pattern.compile("webhook:(https?)://([^/:]+|\\[[^]]+\\])(?::(\\d{1,5}))?/?");
    public static final String AWS = "aws";
    /** The scope of our OpenPGP signing key and its passphrase (used here, sent nowhere). */
    public static final String OPENPGP_SIGN = "openpgp:sign";
    public static final String HINT = "a scope is sftp://HOST[:PORT], s3://HOST[:PORT]/BUCKET, s3://aws/BUCKET or "
            + "source:NAME, webhook:https://HOST[:PORT], smtp://HOST[:PORT], openpgp:sign, openpgp:sign:PARTNER or masking:PARTNER";

    private SecretScope() {
    }

    /** The scope of a contract's destination: the only scope its credentials are resolved for. */
    public static String of(DestinationSpec spec) {
        if (spec instanceof SftpDestinationSpec s) {
            return sftp(s.host(), s.port());
        }
        if (spec instanceof S3DestinationSpec s) {
            if (s.endpoint() == null) {
                return "s3://" + AWS + "/" + s.bucket();
            }
            URI uri = URI.create(s.endpoint());
            int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            return "s3://" + host(uri.getHost()) + ":" + port + "/" + s.bucket();
        }
        throw new IllegalArgumentException(spec.type() + " destinations take no credentials");
    }

    public static String sftp(String host, int port) {
        return "sftp://" + host(host) + ":" + port;
    }

    /** The scope of the key that signs alerts sent to {@code url}: its origin. */
    public static String webhook(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
        return "webhook:" + url.getScheme() + "://" + host(url.getHost()) + ":" + port;
    }

    public static String smtp(String host, int port) {
        return "smtp://" + host(host) + ":" + port;
    }

    /** The scope of the keys that pseudonymise columns for {@code partner}'s contracts. */
    public static String masking(String partner) {
        return "masking:" + partner;
    }

    /** The scope a run asks our signing key under for {@code partner}'s contracts ({@link #covers}). */
    public static String openPgpSign(String partner) {
        return OPENPGP_SIGN + ":" + partner;
    }

    /**
     * Whether a secret bound to {@code bound} may be handed out for {@code requested}: the same scope,
     * or a signing key bound to every partner ({@code openpgp:sign}) asked for one partner's.
     */
    public static boolean covers(String bound, String requested) {
        return bound.equals(requested) || bound.equals(OPENPGP_SIGN) && requested.startsWith(OPENPGP_SIGN + ":");
    }

    public static String source(String name) {
        return "source:" + name;
    }

    /** An administrator's scope text in canonical form; throws {@link SecretException} naming the syntax. */
    public static String parse(String text) {
        String t = text == null ? "" : text.strip();
        if (SOURCE.matcher(t).matches() || MASKING.matcher(t).matches() || t.equals(OPENPGP_SIGN)
                || OPENPGP_SIGN_PARTNER.matcher(t).matches()) {
            return t;
        }
        Matcher m = WEBHOOK.matcher(t);
        if (m.matches()) {
            return "webhook:" + m.group(1) + "://" + checkedHost(m.group(2), text) + ":"
                    + port(m.group(3), m.group(1).equals("http") ? 80 : 443, text);
        }
        m = SMTP.matcher(t);
        if (m.matches()) {
            return "smtp://" + checkedHost(m.group(1), text) + ":" + port(m.group(2), 587, text);
        }
        m = SFTP.matcher(t);
        if (m.matches()) {
            return "sftp://" + checkedHost(m.group(1), text) + ":" + port(m.group(2), 22, text);
        }
        m = S3.matcher(t);
        if (m.matches()) {
            String host = checkedHost(m.group(1), text);
            if (host.equals(AWS) && m.group(2) == null) {
                return "s3://" + AWS + "/" + m.group(3);
            }
            return "s3://" + host + ":" + port(m.group(2), 443, text) + "/" + m.group(3);
        }
        throw new SecretException("invalid scope \"" + dev.exportdesk.text.Text.safe(t) + "\": " + HINT);
    }

    private static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    private static String checkedHost(String host, String text) {
        String h = host(host);
        if (!HOST.matcher(h).matches()) {
            throw new SecretException("invalid host in scope \"" + dev.exportdesk.text.Text.safe(text) + "\"");
        }
        return h;
    }

    private static int port(String digits, int defaultPort, String text) {
        if (digits == null) {
            return defaultPort;
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new SecretException("invalid port in scope \"" + dev.exportdesk.text.Text.safe(text) + "\"");
        }
        return p;
    }
}
