package dev.exportdesk.contract;

import java.time.Duration;

/** Service levels a contract promises: how stale a partner's data may be, how often runs may fail. */
public record Slo(Duration maxDeliveryLag, double maxFailureRate) {
}
