package dev.exportdesk.engine.status;

import dev.exportdesk.cdc.SlotHealth;

/**
 * A logical contract's replication slot as its source reports it now: the server's view
 * ({@code status}), or, when there is none to give, what is wrong ({@code problem}) and whether the
 * contract needs a re-sync (the slot is lost or was dropped; its changes are gone).
 */
public record SlotReport(String contract, String slot, SlotHealth.Status status, String problem, boolean resync) {
    /** A slot about to be lost (the next checkpoint may remove WAL it needs), or already gone. */
    public boolean atRisk() {
        return resync || (status != null && status.walStatus() == SlotHealth.WalStatus.UNRESERVED);
    }

    /** The log the server keeps for the slot, in bytes; -1 when its status could not be read. */
    public long retainedBytes() {
        return status == null ? -1 : status.retainedBytes();
    }
}
