package dev.exportdesk.ui.runs;

import dev.exportdesk.access.RunCancelledException;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.text.Text;
import java.util.List;

/**
 * The start-up question about runs that did not finish, each with the reason its stored state and
 * error give. It used to blame a stop for all of them, so a run the source had failed read as if
 * ExportDesk had merely been closed, and the operator resumed it into the same failure.
 */
final class ResumeOffer {
    /** A reason longer than this is cut: the run detail shows it whole. */
    private static final int REASON_LENGTH = 200;

    private ResumeOffer() {
    }

    static String question(List<RunRecord> unfinished) {
        boolean one = unfinished.size() == 1;
        StringBuilder text = new StringBuilder(unfinished.size() + (one ? " run" : " runs") + " did not finish:\n");
        for (RunRecord r : unfinished) {
            text.append("• ").append(r.contractName()).append(" #").append(r.sequence()).append(": ")
                    .append(reason(r)).append('\n');
        }
        return text.append("\nResume ").append(one ? "it" : "them").append(" now?").toString();
    }

    static String reason(RunRecord r) {
        return switch (r.state()) {
            case PLANNED -> "interrupted before it started: ExportDesk was stopped";
            case CAPTURING -> "interrupted while capturing rows: ExportDesk was stopped";
            case FINALIZING -> "interrupted while finishing (every chunk delivered): ExportDesk was stopped";
            case FAILED -> RunCancelledException.describes(r.error()) ? firstLine(r.error())
                    : "failed: " + firstLine(r.error());
            case SCHEMA_DRIFT -> "held back because the source's columns changed: " + firstLine(r.error());
            case RESYNC_REQUIRED -> "waits for a re-sync: " + firstLine(r.error());
            case COMPLETED -> "completed";
        };
    }

    /** The reason's first line, cut to a readable length (engine errors quote SQL on the lines after). */
    private static String firstLine(String error) {
        if (error == null || error.isBlank()) {
            return "no reason was recorded";
        }
        String line = Text.safe(error.strip().lines().findFirst().orElseThrow());
        return line.length() <= REASON_LENGTH ? line : line.substring(0, REASON_LENGTH) + "…";
    }
}
