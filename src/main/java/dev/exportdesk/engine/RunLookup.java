package dev.exportdesk.engine;

import dev.exportdesk.store.RunRecord;
import java.util.List;

/** Finds a run from what an operator types: a full id, a unique id prefix, or CONTRACT (its latest run). */
public final class RunLookup {
    private final EngineContext ctx;

    public RunLookup(EngineContext ctx) {
        this.ctx = ctx;
    }

    public RunRecord find(String ref) {
        return ctx.store().inTransaction(c -> {
            List<RunRecord> byId = ref.length() >= 4 ? ctx.store().runs().findByPrefix(c, ref) : List.of();
            if (byId.size() == 1) {
                return byId.get(0);
            }
            if (byId.size() > 1) {
                throw new EngineException("run id prefix \"" + ref + "\" matches " + byId.size()
                        + " runs; type more characters");
            }
            return ctx.store().runs().latest(c, ref).orElseThrow(() -> new EngineException(
                    "no run with id \"" + ref + "\" and no contract of that name with runs (see `exportdesk status`)"));
        });
    }
}
