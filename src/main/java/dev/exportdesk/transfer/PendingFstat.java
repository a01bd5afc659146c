package dev.exportdesk.transfer;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.common.SftpHelper;

/**
 * An {@code fstat} sent now and answered later: the uploader asks what the server holds and keeps
 * writing while the answer travels, instead of letting the write pipeline run dry at every
 * acknowledgement ({@code SftpClient.stat(handle)} waits for its answer).
 */
final class PendingFstat {
    private final RawSftpClient raw;
    private final int version;
    private final int id;

    private PendingFstat(RawSftpClient raw, int version, int id) {
        this.raw = raw;
        this.version = version;
        this.id = id;
    }

    static PendingFstat send(SftpClient c, SftpClient.Handle handle) throws IOException {
        byte[] h = handle.getIdentifier();
        Buffer request = new ByteArrayBuffer(h.length + Long.SIZE, false);
        request.putBytes(h);
        int version = c.getVersion();
        if (version >= SftpConstants.SFTP_V4) {
            request.putInt(SftpConstants.SSH_FILEXFER_ATTR_SIZE);
        }
        RawSftpClient raw = (RawSftpClient) c;
        return new PendingFstat(raw, version, raw.send(SftpConstants.SSH_FXP_FSTAT, request));
    }

    /** The file's size when the server handled the request: every write sent before it included. */
    long size() throws IOException {
        SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_FSTAT, raw.receive(id));
        if (response.getType() == SftpConstants.SSH_FXP_STATUS) {
            SftpStatus status = SftpStatus.parse(response);
            throw new SftpException(status.getStatusCode(), "fstat refused: " + status.getMessage());
        }
        if (response.getType() != SftpConstants.SSH_FXP_ATTRS) {
            throw new IOException("unexpected answer to fstat: packet type " + response.getType());
        }
        Map<String, Object> attributes = SftpHelper.readAttrs(response.getBuffer(), version);
        if (!(attributes.get("size") instanceof Number size)) {
            throw new IOException("the server's fstat answer has no size");
        }
        return size.longValue();
    }
}
