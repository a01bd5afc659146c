package dev.exportdesk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.status.StoreHealthReport;
import java.io.PrintWriter;

/**
 * The state store's health in {@code status}: the console status bar's line, and its warning on a
 * line of its own. A warning does not change the exit code (docs/cli.md defines none for it).
 */
final class StoreHealthStatus {
    private StoreHealthStatus() {
    }

    static void print(PrintWriter out, StoreHealthReport r) {
        out.println("state store: " + r.summary()
                + (r.responding() && r.growthPerDay() == null ? " (growth not known yet)" : ""));
        r.warningText().ifPresent(w -> out.println("WARNING: " + w));
    }

    static void addJson(ObjectNode root, StoreHealthReport r) {
        ObjectNode n = root.putObject("state_store");
        n.put("responding", r.responding());
        if (r.responding()) {
            n.put("size_bytes", r.sizeBytes());
            n.put("growth_bytes_per_day", r.growthPerDay());
            n.put("usable_bytes", r.usableBytes());
            n.put("total_bytes", r.totalBytes());
        }
        n.put("warning", r.warning());
    }
}
