package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SequentialItems;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin's changes to accounts, on a real workspace (H2 file), and how they reach sessions that
 * are already open. A password reset: only an admin may, never their own; the audit log names who
 * reset whom and never the password; the temporary password signs nobody in until it is replaced,
 * and the reset user's open session ends. One {@link GuardedEngine} built at sign-in sees a new role
 * at its next call, and a disabled or removed user's session is refused with a sentence saying so,
 * audited, and stays ended when the account is enabled again or the name is reused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccountChangesTest {
    private static final String PW = "correct horse battery";
    private static final String TEMPORARY = "temporary 12345";
    private static final String CHOSEN = "my own new passphrase";
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
    void onlyAnAdminResetsAndNeverTheirOwn() {
        User otto = users.createUser(admin, "otto", Role.OPERATOR, PW.toCharArray());
        users.createUser(admin, "ada", Role.AUDITOR, PW.toCharArray());
        GuardedEngine asOtto = new GuardedEngine(otto, t.ctx);
        assertThatThrownBy(() -> asOtto.users().resetPassword("ada", TEMPORARY.toCharArray()))
                .isInstanceOf(AccessDeniedException.class).hasMessage("otto (operator) may not reset passwords: "
                        + "it needs the manage users permission");
        assertThat(users.signIn("ada", PW.toCharArray()).name()).as("ada's password unchanged").isEqualTo("ada");
        assertThat(audit()).anyMatch(e -> e.actor().equals("otto") && e.action().equals("access.denied")
                && e.subject().equals("user.password-reset ada"));

        GuardedEngine asAdmin = new GuardedEngine(admin, t.ctx);
        assertThatThrownBy(() -> asAdmin.users().resetPassword("admin", TEMPORARY.toCharArray()))
                .hasMessageContaining("you cannot reset your own password");
        assertThatThrownBy(() -> asAdmin.users().resetPassword("ada", "short".toCharArray()))
                .hasMessageContaining("at least 10 characters");
        assertThatThrownBy(() -> asAdmin.users().resetPassword("nobody", TEMPORARY.toCharArray()))
                .hasMessageContaining("there is no user named \"nobody\"");
    }

    @Test
    void theResetUserMustChooseANewPasswordAndTheAuditNamesBoth() {
        users.createUser(admin, "ada", Role.AUDITOR, PW.toCharArray());
        User adaSession = users.signIn("ada", PW.toCharArray());
        GuardedEngine asAda = new GuardedEngine(adaSession, t.ctx);
        assertThat(asAda.contracts()).isEmpty();

        char[] temporary = TEMPORARY.toCharArray();
        new GuardedEngine(admin, t.ctx).users().resetPassword("ada", temporary);
        assertThat(temporary).as("the caller's copy is wiped").containsOnly('\0');
        assertThat(users.accounts(admin)).filteredOn(a -> a.user().name().equals("ada")).singleElement()
                .matches(UserService.Account::mustChangePassword);

        assertThatThrownBy(asAda::contracts).as("ada's open session ends at its next action")
                .isInstanceOf(SessionEndedException.class).hasMessageContaining("An administrator reset your password");
        assertThatThrownBy(() -> users.signIn("ada", PW.toCharArray()))
                .as("the old password is gone").isInstanceOf(UserService.AuthenticationException.class);
        assertThatThrownBy(() -> users.signIn("ada", TEMPORARY.toCharArray()))
                .as("the temporary password alone signs nobody in")
                .isInstanceOf(UserService.PasswordChangeRequiredException.class);
        assertThatThrownBy(() -> users.signInWithNewPassword("ada", "a wrong guess".toCharArray(), CHOSEN.toCharArray()))
                .isInstanceOf(UserService.AuthenticationException.class);
        assertThatThrownBy(() -> users.signInWithNewPassword("ada", TEMPORARY.toCharArray(), TEMPORARY.toCharArray()))
                .hasMessageContaining("the same as the current one");
        assertThatThrownBy(() -> users.signInWithNewPassword("ada", TEMPORARY.toCharArray(), "short".toCharArray()))
                .hasMessageContaining("at least 10 characters");

        User ada = users.signInWithNewPassword("ada", TEMPORARY.toCharArray(), CHOSEN.toCharArray());
        assertThat(new GuardedEngine(ada, t.ctx).contracts()).as("a new session works").isEmpty();
        assertThat(users.signIn("ada", CHOSEN.toCharArray()).role()).isEqualTo(Role.AUDITOR);
        assertThatThrownBy(() -> users.signIn("ada", TEMPORARY.toCharArray()))
                .isInstanceOf(UserService.AuthenticationException.class);

        List<AuditEntry> log = audit();
        assertThat(log).filteredOn(e -> e.action().equals("user.password-reset")).singleElement()
                .matches(e -> e.actor().equals("admin") && e.subject().equals("ada"), "admin reset ada");
        assertThat(log).extracting(e -> e.actor() + " " + e.action() + " " + e.subject()).contains(
                "ada user.password-change-required ada", "ada user.password ada", "ada user.sign-in ada",
                "ada access.denied list contracts");
        assertThat(log).filteredOn(e -> e.action().equals("access.denied") && e.actor().equals("ada"))
                .extracting(AuditEntry::after).containsOnly("account password reset");
        assertThat(log).allSatisfy(e -> assertThat(e.subject() + e.before() + e.after())
                .doesNotContain(TEMPORARY).doesNotContain(CHOSEN).doesNotContain(PW));
        List<String> hashes = t.workspace.store().inTransaction(c -> {
            try (var st = c.prepareStatement("SELECT password_hash FROM users"); var rs = st.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
        assertThat(hashes).allMatch(h -> h.startsWith("pbkdf2-sha256$")).noneMatch(h -> h.contains("temporary"));
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
        assertThatThrownBy(() -> sam.verification().verify("1")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("sam (operator) may not verify deliveries");
        assertThat(sam.refreshUser().role()).isEqualTo(Role.OPERATOR);

        users.changeRole(admin, "sam", Role.ADMIN);
        assertThat(sam.users().accounts()).as("user management follows the role too").hasSize(2);
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
        assertThatThrownBy(() -> otto.users().changeOwnPassword(PW.toCharArray(), "another long one".toCharArray()))
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

    /**
     * Disabling an account stops the run its session started, at the run's next chunk: FAILED with
     * the reason, audited, resumable; another operator's Resume delivers every row exactly once.
     */
    @Test
    void aRunningExportStopsWhenItsUsersAccountIsDisabled() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode contract = SequentialItems.contract(db, dir.resolve("drop"), 2000);
        t.importContract(contract.toString());
        users.createUser(admin, "otto", Role.OPERATOR, PW.toCharArray());
        GuardedEngine otto = new GuardedEngine(users.signIn("otto", PW.toCharArray()), t.ctx);

        List<RunProgress> seen = new ArrayList<>();
        RunResult stopped = otto.run("items", p -> {
            seen.add(p);
            if (p.chunks() == 2) {
                users.setDisabled(admin, "otto", true);
            }
        }, () -> false);
        assertThat(stopped.run().state()).isEqualTo(RunState.FAILED);
        assertThat(stopped.run().error()).isEqualTo("stopped: the session of otto ended (account disabled)");
        assertThat(seen).as("stopped at the next chunk").allMatch(p -> p.chunks() <= 3);
        assertThat(audit()).anyMatch(e -> e.actor().equals("otto") && e.action().equals("run.stop")
                && e.subject().equals("items run 1") && "account disabled".equals(e.after()));

        users.createUser(admin, "olga", Role.OPERATOR, PW.toCharArray());
        GuardedEngine olga = new GuardedEngine(users.signIn("olga", PW.toCharArray()), t.ctx);
        RunResult resumed = olga.resume(stopped.run().id(), ProgressListener.NONE);
        assertThat(resumed.completed()).isTrue();
        Replay replay = Replay.of(dir.resolve("drop/items"), "id");
        assertThat(replay.delivered).as("every row once").hasSize(2000);
        assertThat(replay.table).hasSize(2000);
    }

    @Test
    void aRemovedUsersSessionStaysEndedWhenTheNameIsTakenAgain() {
        users.createUser(admin, "otto", Role.OPERATOR, PW.toCharArray());
        GuardedEngine otto = new GuardedEngine(users.signIn("otto", PW.toCharArray()), t.ctx);
        users.remove(admin, "otto");
        assertThatThrownBy(() -> otto.recentRuns(10)).isInstanceOf(SessionEndedException.class)
                .hasMessageContaining("Your account was removed by an administrator");

        users.createUser(admin, "otto", Role.ADMIN, "someone else entirely".toCharArray());
        assertThatThrownBy(() -> otto.users().accounts()).as("a new otto is someone else").isInstanceOf(SessionEndedException.class);
    }
}
