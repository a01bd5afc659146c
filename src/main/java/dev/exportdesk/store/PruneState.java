package dev.exportdesk.store;

/**
 * A delivered run's retention: PRUNING from the moment its files and their hashes are in the ledger
 * until the last of them is gone from the destination; PRUNED after. A run without a prune row was
 * never pruned.
 */
public enum PruneState {
    PRUNING, PRUNED
}
