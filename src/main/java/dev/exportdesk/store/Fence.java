package dev.exportdesk.store;

/**
 * What a worker's view of the store checks at the start of every transaction (team mode): a claim
 * with an epoch that grows at every claim of the same work, so that a write made under a claim that
 * someone else has taken since commits nothing ({@link LeaseLostException}).
 */
public sealed interface Fence permits Lease, TaskClaim {
    long epoch();

    String holder();

    /** How long a silent holder keeps the claim, and its session's idle transactions, alive. */
    java.time.Duration timeout();

    /** The claimed work, for messages: "run …", "key range … of run …", "verify:orders". */
    String describe();
}
