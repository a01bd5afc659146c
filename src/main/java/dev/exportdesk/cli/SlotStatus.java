package dev.exportdesk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.cdc.SlotHealth;
import dev.exportdesk.engine.status.SlotReport;
import java.io.PrintWriter;
import java.util.List;

/**
 * The replication slots of logical contracts in {@code status} (docs/cdc.md): how much log each
 * keeps on its server, how far its confirmed position lags, whether it is at risk of being lost.
 */
final class SlotStatus {
    private SlotStatus() {
    }

    static void print(PrintWriter out, List<SlotReport> slots) {
        if (slots.isEmpty()) {
            return;
        }
        out.println();
        out.printf("%-26s %-26s %-11s %10s %10s %10s  %s%n", "SLOT", "CONTRACT", "WAL STATUS", "RETAINED", "LAG",
                "SAFE", "STREAMING");
        for (SlotReport r : slots) {
            SlotHealth.Status s = r.status();
            if (s == null) {
                out.printf("%-26s %-26s %s%n", r.slot(), r.contract(), (r.resync() ? "RE-SYNC REQUIRED: " : "")
                        + Format.oneLine(r.problem(), 140));
                continue;
            }
            out.printf("%-26s %-26s %-11s %10s %10s %10s  %s%n", r.slot(), r.contract(),
                    s.walStatus().name().toLowerCase(java.util.Locale.ROOT), Format.bytes(s.retainedBytes()),
                    Format.bytes(s.lagBytes()), s.safeWalBytes() == null ? "unbounded" : Format.bytes(s.safeWalBytes()),
                    s.activePid() == null ? "no" : "pid " + s.activePid());
        }
        slots.stream().filter(SlotReport::atRisk).filter(r -> !r.resync()).forEach(r -> out.println("WARNING: slot "
                + r.slot() + " is about to be lost (wal_status unreserved): run contract " + r.contract()
                + " now, or raise max_slot_wal_keep_size"));
    }

    static void addJson(ObjectNode n, SlotReport r) {
        n.put("slot", r.slot());
        n.put("contract", r.contract());
        n.put("resync_required", r.resync());
        n.put("at_risk", r.atRisk());
        n.put("problem", r.problem());
        SlotHealth.Status s = r.status();
        if (s != null) {
            n.put("wal_status", s.walStatus().name().toLowerCase(java.util.Locale.ROOT));
            n.put("retained_bytes", s.retainedBytes());
            n.put("lag_bytes", s.lagBytes());
            n.put("safe_wal_bytes", s.safeWalBytes());
            n.put("confirmed_flush_lsn", s.confirmedFlush().asString());
            n.put("streaming_pid", s.activePid());
        }
    }
}
