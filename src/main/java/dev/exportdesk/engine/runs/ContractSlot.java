package dev.exportdesk.engine.runs;

import dev.exportdesk.cdc.CaptureException;
import dev.exportdesk.cdc.ReplicationSession;
import dev.exportdesk.cdc.ResyncRequiredException;
import dev.exportdesk.cdc.SlotHealth;
import dev.exportdesk.contract.SourceRef;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.SourceConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** A logical contract's replication slot at its source, as a re-sync or a retirement sees and drops it. */
final class ContractSlot {
    private ContractSlot() {
    }

    /**
     * The slot in one word from an allow-list (it goes into audit JSON): "missing", "lost", "active",
     * or its wal_status in lower case — never the server's own text.
     */
    static String state(EngineContext ctx, SourceRef source, String slot) {
        try (Connection c = ctx.sources().open(source)) {
            SlotHealth.Status s = SlotHealth.check(c, slot);
            return s.activePid() != null ? "active" : s.walStatus().name().toLowerCase(Locale.ROOT);
        } catch (ResyncRequiredException e) {
            return e.reason() == ResyncRequiredException.Reason.MISSING ? "missing" : "lost";
        } catch (CaptureException e) {
            throw new EngineException(e.getMessage()); // another kind of slot under that name: never dropped here
        } catch (SQLException e) {
            throw new EngineException("cannot read replication slot \"" + slot + "\" at the source: " + e.getMessage());
        }
    }

    static void drop(EngineContext ctx, SourceRef source, String slot) {
        SourceConnector.Login login = ctx.sources().login(source);
        try (ReplicationSession session = ReplicationSession.open(login.driverUrl(), login.properties())) {
            session.dropSlot(slot);
        } catch (CaptureException e) {
            throw new EngineException(e.getMessage());
        }
    }
}
