package dev.exportdesk.ui.runs;

import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.store.RunRecord;

/** A judged partner receipt in words, for the Exports message line and the schedule's notifications. */
public final class ReceiptText {
    private ReceiptText() {
    }

    public static String of(RunRecord run, Acknowledgement a) {
        return run.contractName() + " run #" + run.sequence() + ": receipt " + a.state() + " — " + a.detail();
    }

    /** Whether a person should hear about this outcome: an SLO breach, a mismatch or a bad receipt. */
    public static boolean needsAttention(Acknowledgement a) {
        return switch (a.state()) {
            case OVERDUE, REDELIVERED, REDELIVER, REJECTED -> true;
            default -> false;
        };
    }
}
