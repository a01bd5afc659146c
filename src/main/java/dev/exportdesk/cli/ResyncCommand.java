package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.RunResync;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.text.Text;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resync", description = {"Send a contract's table again as a full export: its next run (or its "
        + "unfinished run, when that sealed nothing) copies the whole table, in the same sequence of manifests "
        + "(mode \"full\"). A stopped stream run that sealed chunks is first completed with them (delivering "
        + "those not delivered yet). The way on after a logical contract's slot was lost, or when a "
        + "partner lost their copy; a logical contract's slot is dropped and created anew by the copy "
        + "(docs/cdc.md). With --from, a cursor contract's next run sends again only what was shipped from that "
        + "cursor value on, then goes on as an increment (manifest mode \"resend\"). The run is not started: "
        + "`exportdesk run CONTRACT` (in a team workspace `exportdesk request run CONTRACT`) does."})
final class ResyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT", description = "The contract's name.")
    String contract;

    @Option(names = "--from", paramLabel = "WATERMARK", description = "Send again only the rows whose leading "
            + "cursor column is at or after WATERMARK (an ISO date or date-time for a date/time cursor, UTC unless it "
            + "has an offset; a number or text otherwise), up to where the last run ended; cursor contracts only.")
    String from;

    @Option(names = "--dry-run", description = "Say what the re-sync would do, and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            if (dryRun) {
                spec.commandLine().getOut().println(Text.safe(ctx.engine().resyncPlan(contract, from).describe()));
                spec.commandLine().getOut().println("dry run: nothing changed");
                return ExitCodes.OK;
            }
            RunResync.Done done = ctx.engine().resync(contract, from);
            spec.commandLine().getOut().println(Text.safe(done.plan().describe()));
            if (done.closed() != null) {
                spec.commandLine().getOut().println("completed run " + done.closed().run().id() + " (#"
                        + done.closed().run().sequence() + ") with the " + done.closed().run().chunkCount()
                        + " chunk(s) it had sealed");
            }
            spec.commandLine().getOut().println("re-sync planned as run " + done.run().id() + " (#"
                    + done.run().sequence() + "); start it with: exportdesk "
                    + (ctx.workspace().mode() == StoreMode.TEAM ? "request run " : "run ") + Text.safe(contract));
            return ExitCodes.OK;
        }
    }
}
