package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning removes what partners were sent: operators and admins may, stewards and auditors are refused (audited). */
class RetentionGuardTest {
    @TempDir
    Path dir;

    @Test
    void onlyOperatorsAndAdminsPrune() throws Exception {
        try (ConsoleFixture fx = ConsoleFixture.open(dir, 50)) {
            for (Role role : List.of(Role.STEWARD, Role.AUDITOR)) {
                RetentionGuard retention = fx.engine(fx.user(role.label() + "1", role)).retention();
                assertThatThrownBy(() -> retention.prune(Optional.empty())).isInstanceOf(AccessDeniedException.class);
                assertThatThrownBy(() -> retention.plan(Optional.empty())).isInstanceOf(AccessDeniedException.class);
                assertThat(retention.pruned(List.of("no-such-run"))).as("reading which runs were pruned").isEmpty();
            }
            List<AuditEntry> denied = fx.engine(fx.admin).audit(100).stream()
                    .filter(e -> e.action().equals("access.denied")).toList();
            assertThat(denied).hasSize(4);
            RetentionGuard operator = fx.engine(fx.user("otis", Role.OPERATOR)).retention();
            assertThat(operator.plan(Optional.empty()).isEmpty()).as("no contract sets retention").isTrue();
            assertThat(operator.prune(Optional.empty()).runs()).isEmpty();
        }
    }
}
