package dev.exportdesk.transfer;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Strict host-key checking: the key must match the contract's pinned SHA-256 fingerprint, or, with
 * no pin, an entry for this host in the workspace's known_hosts file. Anything else is refused and
 * the reason kept for the error message; there is no accept-all and no trust-on-first-use.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private final String host;
    private final int port;
    private final String pinned;
    private final Path knownHosts;
    private volatile HostKeyRejectedException rejection;

    HostKeyCheck(String host, int port, String pinned, Path knownHosts) {
        this.host = host;
        this.port = port;
        this.pinned = pinned == null ? null : strip(pinned);
        this.knownHosts = knownHosts;
    }

    static String fingerprint(PublicKey key) {
        return strip(KeyUtils.getFingerPrint(BuiltinDigests.sha256, key));
    }

    private static String strip(String fp) {
        return fp.replace("=", "");
    }

    HostKeyRejectedException rejection() {
        return rejection;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String presented = fingerprint(key);
        String where = host + ":" + port;
        if (pinned != null) {
            if (pinned.equals(presented)) {
                return true;
            }
            return reject("HOST KEY CHANGED for sftp server " + where + ": it presented " + presented + " ("
                    + KeyUtils.getKeyType(key) + ") but the contract pins " + pinned + ". Refusing to connect: "
                    + "this may be a man-in-the-middle. If the partner really changed its key, confirm the new "
                    + "fingerprint with them and update host_key_sha256.", presented);
        }
        if (knownHosts == null || !Files.isRegularFile(knownHosts)) {
            return reject("unknown host key for sftp server " + where + ": it presented " + presented + " ("
                    + KeyUtils.getKeyType(key) + "), the contract pins no key and there is no known_hosts file"
                    + (knownHosts == null ? "" : " at " + knownHosts) + ". Confirm the fingerprint with the partner, "
                    + "then set host_key_sha256 in the contract.", presented);
        }
        boolean hostListed = false;
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(knownHosts)) {
                if (!entry.isHostMatch(host, port) || entry.getKeyEntry() == null) {
                    continue;
                }
                if ("@revoked".equals(entry.getMarker())) {
                    continue;
                }
                hostListed = true;
                PublicKey listed = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                if (listed != null && KeyUtils.compareKeys(listed, key)) {
                    return true;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            return reject("cannot read known_hosts " + knownHosts + " to check sftp server " + where + ": " + e,
                    presented);
        }
        if (hostListed) {
            return reject("HOST KEY CHANGED for sftp server " + where + ": it presented " + presented + " ("
                    + KeyUtils.getKeyType(key) + "), which differs from its entry in " + knownHosts
                    + ". Refusing to connect: this may be a man-in-the-middle.", presented);
        }
        return reject("unknown host key for sftp server " + where + ": it presented " + presented + " ("
                + KeyUtils.getKeyType(key) + "), and " + knownHosts + " has no entry for it. Confirm the "
                + "fingerprint with the partner, then pin it with host_key_sha256 or add it to " + knownHosts + ".",
                presented);
    }

    private boolean reject(String message, String presented) {
        rejection = new HostKeyRejectedException(message, presented);
        return false;
    }
}
