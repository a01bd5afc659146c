package dev.exportdesk.cli;

import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ack RUN}: check the partner's receipt (manifest.json.ack) for a completed run. */
@Command(name = "ack", description = "Check the partner's acknowledgement receipt of a completed run.")
final class AckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or unique id prefix.")
    String run;

    @Option(names = "--wait", description = "Poll until the receipt is judged or the deadline passes.")
    boolean waitForReceipt;

    @Option(names = "--interval", defaultValue = "" + AckService.POLL_INTERVAL_SECONDS, description = "Seconds between polls with --wait.")
    long intervalSeconds;

    @Override
    public Integer call() throws InterruptedException {
        try (CliContext ctx = ((ExportDeskCommand) spec.root().userObject()).open()) {
            Acknowledgement a = waitForReceipt ? ctx.acks().await(run, Duration.ofSeconds(intervalSeconds))
                    : ctx.acks().poll(run);
            PrintWriter out = spec.commandLine().getOut();
            out.println("run " + a.runId() + ": receipt " + a.state() + (a.deadline() == null ? ""
                    : " (deadline " + Format.time(a.deadline()) + ")"));
            out.println("  " + a.detail());
            for (AckRepository.ChunkAck c : a.chunks()) {
                if (c.state() != AckState.ACKNOWLEDGED) {
                    out.println("  chunk " + c.seq() + ": " + c.state() + " — " + c.reason());
                }
            }
            return switch (a.state()) {
                case ACKNOWLEDGED, WAITING, REDELIVERED, NOT_EXPECTED -> ExitCodes.OK;
                default -> ExitCodes.VERIFY_FAILED;
            };
        }
    }
}
