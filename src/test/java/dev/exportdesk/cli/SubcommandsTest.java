package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line is built with only the subcommand it names (picocli's model of all of them cost
 * every command 0.3–0.4 s of start), and nothing a user sees changes for it.
 */
class SubcommandsTest {
    private static final List<String> ALL = List.of("demo", "contract", "run", "resume", "status", "verify",
            "verify-delivery", "ledger", "report", "secret", "source", "destination", "ack", "correct", "logs", "store",
            "alerts", "monitor", "worker", "request", "resync", "prune", "help");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return Cli.execute(args, Map.of(), ws -> {
            throw new UnsupportedOperationException("no graphical display found (test)");
        }, new PrintWriter(out), new PrintWriter(err));
    }

    private static List<String> built(String... args) {
        CommandLine cli = ExportDeskCommand.commandLine(new ExportDeskCommand(Map.of(), ws -> { }), args);
        return List.copyOf(cli.getSubcommands().keySet());
    }

    @Test
    void theWordAfterTheRootsOptionsNamesTheOnlySubcommandBuilt() {
        assertThat(built("run", "orders")).containsExactly("run");
        assertThat(built("--workspace", "run", "status")).as("an option's value is not a command").containsExactly("status");
        assertThat(built("--workspace=/w", "-v", "verify", "x", "--deep")).containsExactly("verify");
        assertThat(built("--verbose", "contract", "list")).containsExactly("contract");
    }

    @Test
    void onlyCommandsThatHashInBulkWarmUpSha256() {
        assertThat(ALL.stream().filter(ExportDeskCommand::hashesInBulk)).containsExactlyInAnyOrder("run",
                "resume", "verify", "verify-delivery", "correct", "worker", "resync");
        assertThat(ExportDeskCommand.hashesInBulk(ExportDeskCommand.subcommandNamed(new String[] {"--workspace", "run",
                "status"}))).as("`status` in a workspace called run").isFalse();
        assertThat(ExportDeskCommand.hashesInBulk(null)).as("the console").isFalse();
    }

    @Test
    void withoutACommandOrWithAnUnknownOneEverySubcommandIsThereInHelpsOrder() {
        assertThat(built()).containsExactlyElementsOf(ALL);
        assertThat(built("--help")).containsExactlyElementsOf(ALL);
        assertThat(built("-V")).containsExactlyElementsOf(ALL);
        assertThat(built("statsu")).containsExactlyElementsOf(ALL);
        assertThat(built("--workspace")).containsExactlyElementsOf(ALL);
        assertThat(built("help", "run")).as("help describes the others").containsExactlyElementsOf(ALL);
    }

    @Test
    void helpNamesACommandToDescribe() {
        assertThat(cli("help", "verify")).isZero();
        assertThat(out.toString()).startsWith("Usage: exportdesk verify").contains("--deep");
        out.getBuffer().setLength(0);
        assertThat(cli("help")).isZero();
        assertThat(out.toString()).startsWith("Usage: exportdesk").contains("  help  ");
    }

    @Test
    void helpListsEveryCommandAndAMisspeltOneIsStillSuggested() {
        assertThat(cli("--help")).isZero();
        assertThat(out.toString()).contains("  verify-delivery  Check a received delivery folder").contains("  prune  ")
                .contains("Exit codes: 0 ok");
        assertThat(cli("statsu")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'statsu'").contains("exportdesk status");
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsageAndTheExitCodes() {
        for (String name : ALL.subList(0, ALL.size() - 1)) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(cli(name, "--help")).as(name + ": " + err).isZero();
            assertThat(out.toString()).as(name).startsWith("Usage: exportdesk " + name).contains("Exit codes: 0 ok");
        }
    }
}
