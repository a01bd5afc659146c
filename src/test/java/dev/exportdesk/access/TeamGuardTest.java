package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's requests to the workers need the permission running a run needs: a steward or an
 * auditor is refused, the refusal is audited, and no request is written. Every role may read the
 * Workers view.
 */
class TeamGuardTest {
    @TempDir
    Path dir;

    @Test
    void onlyOperatorsAndAdminsAskWorkersAndEveryoneSeesThem() throws Exception {
        try (ConsoleFixture fx = ConsoleFixture.open(dir, 50)) {
            for (Role role : List.of(Role.STEWARD, Role.AUDITOR)) {
                TeamGuard team = fx.engine(fx.user(role.label() + "1", role)).team();
                assertThatThrownBy(() -> team.runNow("orders-to-acme")).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> team.resume("orders-to-acme")).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> team.cancel("orders-to-acme")).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> team.correct("orders-to-acme")).isInstanceOf(AccessDeniedException.class);
                assertThat(team.overview().workers()).isEmpty();
            }
            List<dev.exportdesk.store.RunRequest> written = fx.workspace.store()
                    .inTransaction(c -> fx.workspace.store().requests().recent(c, 10));
            assertThat(written).as("no request written").isEmpty();
            List<AuditEntry> denied = fx.engine(fx.admin).audit(100).stream()
                    .filter(e -> e.action().equals("access.denied")).toList();
            assertThat(denied).hasSize(8);
            assertThat(denied).extracting(AuditEntry::actor).containsOnly("steward1", "auditor1");

            TeamGuard operator = fx.engine(fx.user("otis", Role.OPERATOR)).team();
            assertThat(operator.active()).as("an embedded H2 workspace is solo").isFalse();
            var asked = operator.runNow("orders-to-acme");
            assertThat(operator.request(asked.id())).contains(asked);
            assertThat(fx.engine(fx.admin).audit(100)).anyMatch(e -> e.actor().equals("otis")
                    && e.action().equals("run.request.run"));
        }
    }
}
