package dev.exportdesk.alert;

import dev.exportdesk.contract.AlertSpec;
import dev.exportdesk.store.AlertEndpointRepository;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.text.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The administrators' allow-list of webhook URLs (deny by default, like the environment allow-list):
 * a contract may only name a URL listed here, checked at import and again before every send, so
 * removing an endpoint stops alerts to it at once. URLs compare exactly as written.
 */
public final class AlertEndpoints {
    private final StateStore store;
    private final Clock clock;
    private final AlertEndpointRepository rows = new AlertEndpointRepository();

    public AlertEndpoints(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Allows {@code url} (audited {@code alert.allow}); false if it already was. */
    public boolean allow(String url, String actor) {
        String checked = checked(url);
        Instant now = clock.instant();
        return store.inDurableTransaction(c -> {
            boolean added = rows.add(c, checked, actor, now);
            if (added) {
                store.audit().append(c, now, actor, "alert.allow", "alert endpoint", null,
                        AdminAudit.json("url", checked));
            }
            return added;
        });
    }

    /** Withdraws an endpoint (audited {@code alert.revoke}); false if it was not listed. */
    public boolean revoke(String url, String actor) {
        Instant now = clock.instant();
        String text = Text.safe(url == null ? "" : url.strip());
        return store.inDurableTransaction(c -> {
            boolean removed = rows.remove(c, text);
            if (removed) {
                store.audit().append(c, now, actor, "alert.revoke", "alert endpoint",
                        AdminAudit.json("url", text), null);
            }
            return removed;
        });
    }

    public List<AlertEndpointRepository.Row> list() {
        return store.inTransaction(rows::list);
    }

    public boolean allowed(String url) {
        return store.inTransaction(c -> rows.allowed(c, url));
    }

    private static String checked(String url) {
        String t = url == null ? "" : url.strip();
        if (t.isEmpty() || t.length() > 2000 || Text.firstUnsafe(t, false) != null) {
            throw new AlertException("url: give an https URL of at most 2000 printable characters");
        }
        Optional<String> problem = AlertSpec.urlProblem(t);
        if (problem.isPresent()) {
            throw new AlertException("url " + problem.get() + " (got \"" + Text.safe(t) + "\")");
        }
        return t;
    }
}
