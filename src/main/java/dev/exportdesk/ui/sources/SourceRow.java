package dev.exportdesk.ui.sources;

import dev.exportdesk.engine.SourceService;
import dev.exportdesk.source.SourceConnection;
import java.util.List;

/** One connection as the Sources table shows it: credentials only ever as the variables they come from. */
public record SourceRow(SourceConnection source, List<String> usedBy) {

    static SourceRow of(SourceService.Usage u) {
        return new SourceRow(u.source(), u.contracts());
    }

    public String name() {
        return source.name();
    }

    public String user() {
        if (source.user() != null) {
            return source.user();
        }
        return source.userEnv() != null ? "from $" + source.userEnv() : "none";
    }

    public String password() {
        return source.passwordEnv() != null ? "from $" + source.passwordEnv() : "none";
    }

    public String usedByText() {
        return usedBy.isEmpty() ? "no contract" : String.join(", ", usedBy);
    }
}
