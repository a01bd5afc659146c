package dev.exportdesk.cli;

import dev.exportdesk.engine.DestinationProbe;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code destination test CONTRACT}: can we reach, write, read back and delete at the partner? */
@Command(name = "destination", description = "Check a contract's destination.",
        subcommands = {DestinationCommand.Test.class})
final class DestinationCommand {

    @Command(name = "test", description = "Connect, write a probe file, read it back, delete it; report latency "
            + "and throughput.")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CONTRACT")
        String contract;

        @Option(names = "--bytes", defaultValue = "1048576", description = "Probe size in bytes (default 1 MiB).")
        int bytes;

        @Override
        public Integer call() {
            try (CliContext ctx = ((ExportDeskCommand) spec.root().userObject()).open()) {
                DestinationProbe.Result r = ctx.probe().test(contract, bytes);
                PrintWriter out = spec.commandLine().getOut();
                out.println("destination " + r.destination());
                out.printf("  connect+list %s, write %s (%.1f MiB/s), read back %s, delete %s%n", ms(r.connect()),
                        ms(r.write()), r.writeMiBps(), ms(r.read()), ms(r.delete()));
                if (r.error() != null) {
                    spec.commandLine().getErr().println("FAILED: " + r.error());
                    return ExitCodes.UNAVAILABLE;
                }
                out.println("  ok: probe of " + Format.bytes(r.bytes()) + " written, hash verified, deleted");
                return ExitCodes.OK;
            }
        }

        private static String ms(Duration d) {
            return d.toMillis() + " ms";
        }
    }
}
