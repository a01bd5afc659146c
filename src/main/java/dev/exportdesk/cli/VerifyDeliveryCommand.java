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

    @Option(names = "--state", paramLabel = "FILE", description = "Where the last verified checkpoint is kept "
            + "(default: .exportdesk-verifier.json in the contract folder).")
    Path state;

    @Option(names = "--no-ack", description = "Do not write manifest.json.ack receipts.")
    boolean noAck;

    @Override
    public Integer call() throws Exception {
        String key = publicKey;
        if (key == null) {
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            key = root.workspaceRoot().resolve("ledger").resolve("verifier.key").toString();
        }
        return VerifierMain.run(dir, key, state, !noAck, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
