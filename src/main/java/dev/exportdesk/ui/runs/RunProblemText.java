package dev.exportdesk.ui.runs;

import dev.exportdesk.store.RunRecord;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's problem in full, for the Details dialog: the engine's reason as the run detail words it,
 * then the run's last attempt from its log — the retries, and the failure with its cause chain.
 */
final class RunProblemText {
    /** An attempt's first line in a run log (RunAttempts). */
    private static final Pattern ATTEMPT = Pattern.compile("(?m)^.*RunAttempts - attempt \\d+ of run ");
    /** A dialog shows at most this much of the log; the Log window has all of it. */
    static final int MAX_LOG_CHARS = 200_000;

    private RunProblemText() {
    }

    static String of(RunRecord run, Optional<String> log) {
        String problem = RunDetailViewModel.problemText(run);
        if (log.isEmpty()) {
            return problem + "\n\n(" + RunLogViewModel.NO_LOG + ")";
        }
        String last = lastAttempt(log.get());
        if (last.length() > MAX_LOG_CHARS) {
            last = "…\n" + last.substring(last.length() - MAX_LOG_CHARS);
        }
        return problem + "\n\nThe last attempt, from the run's log:\n" + last;
    }

    static String lastAttempt(String log) {
        Matcher m = ATTEMPT.matcher(log);
        int start = 0;
        while (m.find()) {
            start = m.start();
        }
        return log.substring(start);
    }
}
