package dev.exportdesk.transfer;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.contract.SecretRef;
import dev.exportdesk.contract.SftpDestinationSpec;
import dev.exportdesk.secret.SecretException;
import dev.exportdesk.secret.SecretScope;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.CheckFileNameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partner SFTP server (Apache MINA SSHD client). Uploads go to a hidden temporary name
 * ({@code .name.exportdesk-tmp}) with pipelined writes, at most {@value #BLOCK} bytes of them not yet
 * acknowledged by the server; a
 * later attempt stats that file, reads it back to confirm its bytes are a prefix of the local chunk,
 * and appends from there. The finished file is renamed into place (SFTP v3 rename never replaces an
 * existing file, so nothing is deleted first) and then checked for size and SHA-256 — hashed by the
 * server where it offers the {@code check-file-name} extension, else by reading the file back.
 */
public final class SftpDestination implements Destination {
    /** Window of pipelined, not yet acknowledged writes: the most a broken connection can make us re-send. */
    public static final int BLOCK = 8 * 1024 * 1024;
    static final int WRITE_SIZE = 32 * 1024;
    static final String TEMP_SUFFIX = ".exportdesk-tmp";
    private static final Logger LOG = LoggerFactory.getLogger(SftpDestination.class);

    private final SftpDestinationSpec spec;
    private final TransferEnvironment env;
    private final HostKeyCheck hostKeys;
    private SshClient client;
    private volatile ClientSession session;
    private SftpClient sftp;

    SftpDestination(SftpDestinationSpec spec, TransferEnvironment env) {
        this.spec = spec;
        this.env = env;
        this.hostKeys = new HostKeyCheck(spec.host(), spec.port(), spec.hostKeySha256(), env.knownHosts());
    }

    private String where() {
        return spec.user() + "@" + spec.host() + ":" + spec.port();
    }

    /** The open SFTP channel, connecting (and authenticating) if there is none. */
    @Override
    public void connect() throws DeliveryException {
        sftp();
    }

    private synchronized SftpClient sftp() throws DeliveryException {
        if (sftp != null && sftp.isOpen() && session != null && session.isOpen()) {
            return sftp;
        }
        disconnect();
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(hostKeys);
            // the fstat after each write window is a small request: do not let Nagle hold it back
            CoreModuleProperties.TCP_NODELAY.set(client, true);
            client.start();
        }
        Duration timeout = spec.policy().connectTimeout();
        // credentials first: one not bound to this host is refused before anything is sent to it
        String password = spec.password() == null ? null : credential(spec.password(), "password");
        Iterable<KeyPair> keys = spec.privateKey() == null ? List.of()
                : keys(credential(spec.privateKey(), "private key"));
        ClientSession s = null;
        try {
            s = client.connect(spec.user(), spec.host(), spec.port()).verify(timeout).getSession();
            if (password != null) {
                s.addPasswordIdentity(password);
            }
            for (KeyPair kp : keys) {
                s.addPublicKeyIdentity(kp);
            }
            try {
                s.auth().verify(timeout);
            } catch (IOException e) {
                throw hostKeyOr(authFailure(e));
            }
            sftp = SftpClientFactory.instance().createSftpClient(s);
            session = s;
            return sftp;
        } catch (DeliveryException e) {
            close(s);
            throw e;
        } catch (IOException | RuntimeException e) {
            close(s);
            throw hostKeyOr(new DeliveryException("cannot connect to sftp server " + where() + ": " + e.getMessage(),
                    false, e));
        }
    }

    /** After an I/O failure the session may be half dead: drop it so the next call reconnects. */
    private DeliveryException dropped(DeliveryException e) {
        disconnect();
        return e;
    }

    private DeliveryException hostKeyOr(DeliveryException other) {
        HostKeyRejectedException rejected = hostKeys.rejection();
        return rejected != null ? rejected : other;
    }

    private DeliveryException authFailure(IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("authentication")) {
            return new DeliveryException("authentication failed for sftp " + where() + ": the server refused the "
                    + describeCredentials() + "; not retrying (check the secret with `exportdesk secret list`)",
                    true, e);
        }
        return new DeliveryException("sftp " + where() + ": connection lost during authentication: " + msg, false, e);
    }

    private String describeCredentials() {
        List<String> parts = new ArrayList<>();
        if (spec.password() != null) {
            parts.add("password from " + spec.password().describe());
        }
        if (spec.privateKey() != null) {
            parts.add("private key from " + spec.privateKey().describe());
        }
        return String.join(" and ", parts);
    }

    private String credential(SecretRef ref, String what) throws DeliveryException {
        try {
            return env.secrets().resolve(ref, SecretScope.of(spec));
        } catch (SecretException e) {
            throw new DeliveryException("sftp " + where() + ": cannot read the " + what + ": " + e.getMessage(), true,
                    e);
        }
    }

    private Iterable<KeyPair> keys(String pem) throws DeliveryException {
        try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("private_key"),
                    in, FilePasswordProvider.EMPTY);
            if (keys == null) {
                throw new DeliveryException("sftp " + where() + ": the private key could not be parsed", true);
            }
            return keys;
        } catch (FailedLoginException e) {
            throw new DeliveryException("sftp " + where() + ": the private key is protected by a passphrase; store "
                    + "an unencrypted copy (ssh-keygen -p -N '' -f COPY) as the secret", true);
        } catch (IOException | GeneralSecurityException e) {
            // the parser's message may quote key material: do not pass it on
            throw new DeliveryException("sftp " + where() + ": the private key could not be parsed ("
                    + e.getClass().getSimpleName() + ")", true);
        }
    }

    String remote(String relative) throws DeliveryException {
        RelativePath.segments(relative);
        return (spec.path().equals("/") ? "" : spec.path()) + "/" + relative;
    }

    private static String parent(String remotePath) {
        return remotePath.substring(0, remotePath.lastIndexOf('/'));
    }

    private static String name(String remotePath) {
        return remotePath.substring(remotePath.lastIndexOf('/') + 1);
    }

    @Override
    public void write(String path, Path localFile, String sha256, TransferProgress progress, WriteMode mode)
            throws DeliveryException {
        boolean replace = mode == WriteMode.REPLACE;
        String target = remote(path);
        String temp = parent(target) + "/." + name(target) + TEMP_SUFFIX;
        long size;
        try {
            size = Files.size(localFile);
        } catch (IOException e) {
            throw new DeliveryException("staged file " + localFile + " is unreadable: " + e, true, e);
        }
        SftpClient c = sftp();
        progress.touch();
        try {
            boolean exists = stat(c, target).isPresent();
            if (exists) {
                String existing = hashRemote(c, target, progress);
                if (existing.equals(sha256)) {
                    return;
                }
                if (!replace) {
                    throw new DeliveryException(where() + target + " already exists with different content (sha256 "
                        + existing + ", expected " + sha256 + "); refusing to overwrite a delivered file", true);
                }
            }
            mkdirs(c, parent(target));
            long offset = resumableOffset(c, temp, localFile, size, progress);
            progress.resumedFrom(offset);
            long t0 = System.nanoTime();
            upload(c, temp, localFile, offset, size, progress);
            long t1 = System.nanoTime();
            if (exists) {
                renameOver(c, temp, target);
            } else {
                c.rename(temp, target);
            }
            Optional<SftpClient.Attributes> done = stat(c, target);
            String delivered = hashRemote(c, target, progress);
            LOG.debug("{}: sent {} bytes from offset {} in {} ms, read back and hashed in {} ms", target,
                    size - offset, offset, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
            if (done.isEmpty() || done.get().getSize() != size || !delivered.equals(sha256)) {
                c.remove(target);
                throw new DeliveryException("sftp " + where() + target + " read back as sha256 " + delivered
                        + " instead of " + sha256 + "; removed it and will re-send", false);
            }
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp upload of " + path + " to " + where() + " failed after "
                    + progress.acknowledgedBytes() + " of " + size + " bytes: " + e.getMessage(), false, e));
        }
    }

    /**
     * Puts {@code temp} in place of an existing {@code target}: atomically with OpenSSH's
     * posix-rename where the server offers it; otherwise the old file is moved aside first, so
     * for a moment the partner sees neither (never a mix of old and new bytes).
     */
    private static void renameOver(SftpClient c, String temp, String target) throws IOException {
        OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(temp, target);
            return;
        }
        String aside = parent(target) + "/." + name(target) + ".exportdesk-old";
        c.rename(target, aside);
        c.rename(temp, target);
        c.remove(aside);
    }

    /** How much of an earlier attempt's temporary file can be kept: all of it if it is a prefix of ours. */
    private long resumableOffset(SftpClient c, String temp, Path localFile, long size, TransferProgress progress)
            throws IOException {
        Optional<SftpClient.Attributes> partial = stat(c, temp);
        if (partial.isEmpty()) {
            return 0;
        }
        long held = partial.get().getSize();
        if (held <= 0 || held > size) {
            return 0;
        }
        String remotePrefix = hashRemote(c, temp, progress);
        String localPrefix = prefixHash(localFile, held);
        if (remotePrefix.equals(localPrefix)) {
            LOG.info("resuming {} at byte {} of {}", temp, held, size);
            return held;
        }
        LOG.warn("temporary upload {} does not match the local chunk ({} bytes); starting over", temp, held);
        return 0;
    }

    private void upload(SftpClient c, String temp, Path localFile, long offset, long size, TransferProgress progress)
            throws IOException {
        EnumSet<SftpClient.OpenMode> modes = offset == 0
                ? EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)
                : EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create);
        byte[] buf = new byte[WRITE_SIZE];
        try (SftpClient.CloseableHandle handle = c.open(temp, modes);
             SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) c, WRITE_SIZE, temp, handle);
             FileChannel in = FileChannel.open(localFile, StandardOpenOption.READ)) {
            out.setOffset(offset);
            long pos = offset;
            long sinceAsked = 0;
            PendingFstat asked = null;
            while (pos < size) {
                int n = readFully(in, pos, buf, (int) Math.min(WRITE_SIZE, size - pos));
                progress.sent(n);
                out.write(buf, 0, n);
                pos += n;
                sinceAsked += n;
                if (sinceAsked >= BLOCK / 2 && pos < size) {
                    // the server handles a channel's requests in order, so an fstat's answer covers every write
                    // before it. Asking every half window and then waiting for the previous answer keeps at most
                    // one window unconfirmed, while the half just written keeps the pipe busy (waiting for a
                    // fresh answer each window let it run dry: a server's queue drained with the client idle)
                    PendingFstat next = PendingFstat.send(c, handle);
                    if (asked != null) {
                        progress.acknowledged(asked.size());
                    }
                    asked = next;
                    sinceAsked = 0;
                }
            }
            out.flush();
            if (asked != null) {
                asked.size();
            }
            progress.acknowledged(c.stat(handle).getSize());
        }
    }

    private static int readFully(FileChannel in, long pos, byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            if (in.read(bb, pos + bb.position()) < 0) {
                throw new IOException("staged file shrank while uploading");
            }
        }
        return len;
    }

    private static String prefixHash(Path file, long length) throws IOException {
        MessageDigest md = Hashing.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return Hashing.hex(md.digest());
    }

    /**
     * SHA-256 of a remote file: computed by the server when it offers the {@code check-file-name}
     * extension (no bytes cross the network), otherwise by reading the file back.
     */
    private static String hashRemote(SftpClient c, String remotePath, TransferProgress progress) throws IOException {
        CheckFileNameExtension check = c.getExtension(CheckFileNameExtension.class);
        if (check != null && check.isSupported()) {
            try {
                progress.touch();
                Map.Entry<String, Collection<byte[]>> result = check.checkFileName(remotePath, List.of("sha256"), 0L,
                        0L, 0);
                progress.touch();
                if ("sha256".equalsIgnoreCase(result.getKey()) && result.getValue().size() == 1) {
                    return Hashing.hex(result.getValue().iterator().next());
                }
            } catch (SftpException e) {
                LOG.debug("server-side hash of {} unavailable ({}); reading it back", remotePath, e.getMessage());
            }
        }
        return readBackHash(c, remotePath, progress);
    }

    private static String readBackHash(SftpClient c, String remotePath, TransferProgress progress)
            throws IOException {
        try (InputStream in = new FilterInputStream(c.read(remotePath)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                progress.touch();
                return super.read(b, off, len);
            }
        }) {
            return Hashing.digest(in).sha256();
        }
    }

    private static Optional<SftpClient.Attributes> stat(SftpClient c, String remotePath) throws IOException {
        try {
            return Optional.of(c.stat(remotePath));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Optional<SftpClient.Attributes> regularFile(SftpClient c, String remotePath) throws IOException {
        try {
            return Optional.of(c.lstat(remotePath)).filter(SftpClient.Attributes::isRegularFile);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void mkdirs(SftpClient c, String dir) throws IOException {
        StringBuilder p = new StringBuilder();
        for (String segment : dir.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            p.append('/').append(segment);
            if (stat(c, p.toString()).isEmpty()) {
                try {
                    c.mkdir(p.toString());
                } catch (SftpException e) {
                    if (stat(c, p.toString()).isEmpty()) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The partner's server may hold links or FIFOs it planted: only a regular file itself counts as delivered. */
    @Override
    public Optional<RemoteFile> stat(String path) throws DeliveryException {
        try {
            return regularFile(sftp(), remote(path)).map(a -> new RemoteFile(path, a.getSize()));
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot stat " + path + ": " + e.getMessage(),
                    false, e));
        }
    }

    @Override
    public InputStream open(String path) throws DeliveryException {
        try {
            SftpClient c = sftp();
            String p = remote(path);
            if (regularFile(c, p).isEmpty()) {
                throw new DeliveryException("missing at destination (or not a regular file): " + path, true);
            }
            return c.read(p);
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot read " + path + ": " + e.getMessage(),
                    false, e));
        }
    }

    @Override
    public List<RemoteFile> list(String directory) throws DeliveryException {
        List<RemoteFile> out = new ArrayList<>();
        try {
            SftpClient c = sftp();
            String dir = remote(directory);
            if (stat(c, dir).isEmpty()) {
                return out;
            }
            for (SftpClient.DirEntry e : c.readDir(dir)) {
                String n = e.getFilename();
                if (e.getAttributes().isRegularFile() && !n.endsWith(TEMP_SUFFIX) && !n.startsWith(".")) {
                    out.add(new RemoteFile(directory + "/" + n, e.getAttributes().getSize()));
                }
            }
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot list " + directory + ": "
                    + e.getMessage(), false, e));
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    @Override
    public void delete(String path) throws DeliveryException {
        try {
            SftpClient c = sftp();
            String p = remote(path);
            if (stat(c, p).isPresent()) {
                c.remove(p);
            }
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot delete " + path + ": "
                    + e.getMessage(), false, e));
        }
    }

    @Override
    public boolean deleteDelivered(String path) throws DeliveryException {
        try {
            SftpClient c = sftp();
            String p = remote(path);
            if (!realFolders(c, path) || regularFile(c, p).isEmpty()) {
                return false;
            }
            c.remove(p);
            return true;
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot delete " + path + ": "
                    + e.getMessage(), false, e));
        }
    }

    @Override
    public void removeEmptyFolder(String directory) throws DeliveryException {
        try {
            SftpClient c = sftp();
            String dir = remote(directory);
            if (!realFolders(c, directory + "/x")) {
                return;
            }
            for (SftpClient.DirEntry e : c.readDir(dir)) {
                if (!".".equals(e.getFilename()) && !"..".equals(e.getFilename())) {
                    return;
                }
            }
            c.rmdir(dir);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw dropped(new DeliveryException("sftp " + where() + ": cannot remove " + directory + ": "
                        + e.getMessage(), false, e));
            }
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot remove " + directory + ": "
                    + e.getMessage(), false, e));
        }
    }

    /** The folders on the way to {@code relative}, below the root, are real folders (lstat), not links. */
    private boolean realFolders(SftpClient c, String relative) throws IOException, DeliveryException {
        String[] segments = relative.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            p.append(i == 0 ? "" : "/").append(segments[i]);
            try {
                if (!c.lstat(remote(p.toString())).isDirectory()) {
                    return false;
                }
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    return false;
                }
                throw e;
            }
        }
        return true;
    }

    @Override
    public int removeAbandonedTemporaries(String directory) throws DeliveryException {
        int removed = 0;
        try {
            SftpClient c = sftp();
            String dir = remote(directory);
            if (stat(c, dir).isEmpty()) {
                return 0;
            }
            for (SftpClient.DirEntry e : c.readDir(dir)) {
                if (e.getFilename().startsWith(".") && e.getFilename().endsWith(TEMP_SUFFIX)) {
                    c.remove(dir + "/" + e.getFilename());
                    removed++;
                }
            }
        } catch (IOException e) {
            throw dropped(new DeliveryException("sftp " + where() + ": cannot clean " + directory + ": " + e.getMessage(),
                    false, e));
        }
        return removed;
    }

    /** Closes the session under a blocked write: the write fails, the next call reconnects. */
    @Override
    public void abort() {
        close(session);
    }

    @Override
    public String describe() {
        return spec.describe();
    }

    private synchronized void disconnect() {
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException e) {
                LOG.debug("closing sftp channel: {}", e.toString());
            }
            sftp = null;
        }
        close(session);
        session = null;
    }

    private static void close(ClientSession s) {
        if (s != null) {
            s.close(true);
        }
    }

    @Override
    public synchronized void close() {
        disconnect();
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
