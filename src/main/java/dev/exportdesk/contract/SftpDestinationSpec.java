package dev.exportdesk.contract;

/**
 * A partner SFTP server. {@code hostKeySha256} pins the server's key ("SHA256:base64", as
 * {@code ssh-keygen -lf} prints it); without it the key must be in the workspace's known_hosts.
 * Authentication is by password or private key, each a {@link SecretRef}.
 */
public record SftpDestinationSpec(String host, int port, String user, String path, String hostKeySha256,
                                  SecretRef password, SecretRef privateKey, TransferPolicy policy)
        implements DestinationSpec {
    @Override
    public String type() {
        return "sftp";
    }

    @Override
    public String describe() {
        return "sftp " + user + "@" + host + ":" + port + path;
    }
}
