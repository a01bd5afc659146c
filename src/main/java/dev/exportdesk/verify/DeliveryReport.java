package dev.exportdesk.verify;

import java.util.List;

/** The outcome of re-checking one delivered run against its manifest. */
public record DeliveryReport(String runDirectory, List<Check> checks) {
    public DeliveryReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }
}
