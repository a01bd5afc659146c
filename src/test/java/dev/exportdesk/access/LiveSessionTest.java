package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin's changes reach sessions that are already open (real workspace, H2 file): one
 * {@link GuardedEngine} built at sign-in sees a new role at its next call, and a disabled or removed
 * user's session is refused with a sentence saying so, audited, even after the name is reused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveSessionTest {
    private static final String PW = "correct horse battery";
    @TempDir
    Path dir;
    TestEngine t;
    UserService users;
    User admin;

    @BeforeEach
    void open() {
        t = TestEngine.open(dir.resolve("ws"));
        users = new UserService(t.workspace.store(), t.ctx.clock());
        admin = users.createFirstAdmin("admin", PW.toCharArray());
    }

    @AfterEach
    void close() {
        t.close();
    }

    private List<AuditEntry> audit() {
        return t.workspace.store().inTransaction(c -> t.workspace.store().audit().recent(c, 100));
    }

    @Test
    void aRoleChangeAppliesToTheOpenSessionAtItsNextCall() {
        users.createUser(admin, "sam", Role.AUDITOR, PW.toCharArray());
        GuardedEngine sam = new GuardedEngine(users.signIn("sam", PW.toCharArray()), t.ctx);
        assertThatThrownBy(() -> sam.importContract("{}", "x.json")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("sam (auditor) may not edit contracts");

        users.changeRole(admin, "sam", Role.STEWARD);
        assertThat(sam.can(Permission.EDIT_CONTRACTS)).as("no store access until the next call").isFalse();
        assertThatThrownBy(() -> sam.importContract("{}", "x.json"))
                .as("now allowed: refused only for the contract itself")
                .isNotInstanceOf(AccessDeniedException.class);
        assertThat(sam.can(Permission.EDIT_CONTRACTS)).isTrue();
        assertThat(sam.user().role()).isEqualTo(Role.STEWARD);

        users.changeRole(admin, "sam", Role.OPERATOR);
        assertThatThrownBy(() -> sam.verify("1")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("sam (operator) may not verify deliveries");
        assertThat(sam.refreshUser().role()).isEqualTo(Role.OPERATOR);

        users.changeRole(admin, "sam", Role.ADMIN);
        assertThat(sam.accounts()).as("user management follows the role too").hasSize(2);
        assertThat(audit()).anyMatch(e -> e.actor().equals("sam") && e.action().equals("access.denied")
                && e.subject().equals("verify deliveries") && "operator".equals(e.after()));
    }

    @Test
    void aDisabledUsersOpenSessionIsRefusedAndEnablingDoesNotReviveIt() {
        users.createUser(admin, "otto", Role.OPERATOR, PW.toCharArray());
        GuardedEngine otto = new GuardedEngine(users.signIn("otto", PW.toCharArray()), t.ctx);
        assertThat(otto.statuses()).isEmpty();

        users.setDisabled(admin, "otto", true);
        assertThatThrownBy(otto::statuses).isInstanceOf(SessionEndedException.class)
                .hasMessage("Your account was disabled by an administrator, so this session can do nothing more. "
                        + "Ask an admin to enable it, then sign in again.");
        assertThatThrownBy(() -> otto.changeOwnPassword(PW.toCharArray(), "another long one".toCharArray()))
                .isInstanceOf(SessionEndedException.class);
        assertThatThrownBy(otto::refreshUser).isInstanceOf(SessionEndedException.class);
        assertThat(audit()).anyMatch(e -> e.actor().equals("otto") && e.action().equals("access.denied")
                && e.subject().equals("read status") && "account disabled".equals(e.after()));

        users.setDisabled(admin, "otto", false);
        assertThatThrownBy(otto::statuses).as("enabled again: the ended session stays ended")
                .isInstanceOf(SessionEndedException.class);
        assertThat(audit()).filteredOn(e -> e.actor().equals("otto") && e.action().equals("access.denied"))
                .as("every refusal audited").hasSize(3);
        GuardedEngine again = new GuardedEngine(users.signIn("otto", PW.toCharArray()), t.ctx);
        assertThat(again.statuses()).as("a new sign-in works").isEmpty();
    }

    @Test
    void aRemovedUsersSessionStaysEndedWhenTheNameIsTakenAgain() {
        users.createUser(admin, "otto", Role.OPERATOR, PW.toCharArray());
        GuardedEngine otto = new GuardedEngine(users.signIn("otto", PW.toCharArray()), t.ctx);
        users.remove(admin, "otto");
        assertThatThrownBy(() -> otto.recentRuns(10)).isInstanceOf(SessionEndedException.class)
                .hasMessageContaining("Your account was removed by an administrator");

        users.createUser(admin, "otto", Role.ADMIN, "someone else entirely".toCharArray());
        assertThatThrownBy(otto::accounts).as("a new otto is someone else").isInstanceOf(SessionEndedException.class);
    }
}
