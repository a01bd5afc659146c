package dev.exportdesk.cli;

import dev.exportdesk.cli.verifier.VerifierMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify-delivery", description = {"Check a received delivery folder the way a partner does, with no "
        + "database: SHA256SUMS, chunk hashes and row counts, the manifest chain, the signed checkpoint, inclusion "
        + "and consistency proofs. Writes manifest.json.ack for each run that passes (docs/partner-guide.md).",
        "The same check ships as target/exportdesk-verifier.jar."})
final class VerifyDeliveryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A run folder (with manifest.json) or a contract folder of run-* "
            + "folders.")
    Path dir;

    @Option(names = "--public-key", paramLabel = "KEY|FILE", description = "The sender's verifier key "
            + "(name+id+key) or a file holding it. Default: this workspace's ledger/verifier.key.")
    String publicKey;

    @Option(names = "--state", paramLabel = "DIR", description = "Your own directory of the runs verified before, "
            + "one file per contract (default: verifier-state in this workspace). Never inside the delivery.")
    Path state;

    @Option(names = "--no-ack", description = "Do not write manifest.json.ack receipts.")
    boolean noAck;

    @Option(names = "--decrypt-key", paramLabel = "FILE", description = "For OpenPGP-encrypted deliveries: your "
            + "secret key (gpg --export-secret-keys --armor), to decrypt each chunk and check its content. Without "
            + "it only the ciphertext's SHA-256 is checked.")
    Path decryptKey;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "A file holding the passphrase of "
            + "--decrypt-key, if it has one.")
    Path passphrase;

    @Option(names = "--signer-key", paramLabel = "FILE", description = "The sender's OpenPGP public key: every "
            + "decrypted chunk and manifest.json.asc must be signed by it.")
    Path signerKey;

    @Override
    public Integer call() throws Exception {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        String key = publicKey != null ? publicKey : root.workspaceRoot().resolve("ledger").resolve("verifier.key")
                .toString();
        Path stateDir = state != null ? state : root.workspaceRoot().resolve("verifier-state");
        return VerifierMain.run(dir, key, stateDir, !noAck, new VerifierMain.OpenPgpFiles(decryptKey, passphrase,
                signerKey), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
