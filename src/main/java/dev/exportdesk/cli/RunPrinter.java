package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.io.PrintWriter;

/** How the outcome of a run is told to the operator, and the exit code it maps to. */
final class RunPrinter {
    private RunPrinter() {
    }

    static int print(RunResult result, PrintWriter out, PrintWriter err) {
        RunRecord r = result.run();
        String head = r.contractName() + " run #" + r.sequence() + " (" + Format.shortId(r.id()) + ")";
        if (r.state() == RunState.COMPLETED) {
            out.printf("%s completed: %,d rows in %d chunk(s), %s → %s/%s%n", head, r.rowCount(), r.chunkCount(),
                    Format.bytes(r.byteCount()), result.destination(), result.runDirectory());
            return ExitCodes.OK;
        }
        boolean stopped = r.state() == RunState.SCHEMA_DRIFT || r.state().awaitsResync();
        err.printf("%s %s: %s%n", head, stopped ? "stopped" : "failed", r.error());
        if (r.state().awaitsResync()) {
            err.println("  nothing retries it; send the table again with: exportdesk resync " + r.contractName());
        } else {
            err.println("  resume with: exportdesk resume " + Format.shortId(r.id()));
        }
        err.println("  every attempt and the causes: exportdesk logs " + Format.shortId(r.id()));
        return switch (r.state()) {
            case SCHEMA_DRIFT -> ExitCodes.SCHEMA_DRIFT;
            case RESYNC_REQUIRED -> ExitCodes.RESYNC_REQUIRED;
            default -> ExitCodes.RUN_FAILED;
        };
    }
}
