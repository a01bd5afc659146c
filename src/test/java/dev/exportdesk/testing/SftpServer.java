package dev.exportdesk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real in-process SFTP server (Apache MINA SSHD with the sftp subsystem) on a loopback port, its
 * file system rooted in a temp directory. One user, password and/or public-key authentication.
 */
public final class SftpServer implements AutoCloseable {
    public static final String USER = "partner";
    private final SshServer sshd;
    private final Path root;
    private final KeyPair hostKey;
    private final AtomicInteger authAttempts = new AtomicInteger();

    private SftpServer(Path root, KeyPair hostKey, String password, PublicKey clientKey) throws IOException {
        this.root = root;
        this.hostKey = hostKey;
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator((user, pw, session) -> {
            authAttempts.incrementAndGet();
            return USER.equals(user) && password != null && password.equals(pw);
        });
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && clientKey != null
                && KeyUtils.compareKeys(clientKey, key));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
    }

    public static KeyPair newKey() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SftpServer start(Path root, String password) throws IOException {
        return new SftpServer(root, newKey(), password, null);
    }

    public static SftpServer start(Path root, KeyPair hostKey, String password, PublicKey clientKey)
            throws IOException {
        return new SftpServer(root, hostKey, password, clientKey);
    }

    /** The key in OpenSSH private-key format, as a partner would hand it over. */
    public static String privateKeyText(KeyPair kp) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "exportdesk-test", null, out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return sshd.getPort();
    }

    public Path root() {
        return root;
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    public String fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    /** A known_hosts line for this server. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + KeyUtils.getKeyType(hostKey.getPublic()) + " "
                + java.util.Base64.getEncoder().encodeToString(publicKeyBlob());
    }

    private byte[] publicKeyBlob() {
        try {
            org.apache.sshd.common.util.buffer.ByteArrayBuffer b = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
            b.putRawPublicKey(hostKey.getPublic());
            return b.getCompactData();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    public int passwordAttempts() {
        return authAttempts.get();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
