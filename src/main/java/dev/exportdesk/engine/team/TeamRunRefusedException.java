package dev.exportdesk.engine.team;

import dev.exportdesk.engine.EngineException;

/** A run was to be executed outside a lease in a team workspace, where only workers execute runs. */
public final class TeamRunRefusedException extends EngineException {
    public TeamRunRefusedException() {
        super("this workspace keeps its state in a team store, where workers execute runs under leases: ask them "
                + "with `exportdesk request run|resume|cancel …` (add --wait 10m to follow it), or start "
                + "`exportdesk worker` (docs/team-mode.md)");
    }
}
