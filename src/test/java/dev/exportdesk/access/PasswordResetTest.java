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
 * An admin resets another user's password on a real workspace (H2 file): only an admin may, never
 * their own; the audit log names who reset whom and never the password; the temporary password
 * signs nobody in until it is replaced, and the reset user's open session ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PasswordResetTest {
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
        assertThatThrownBy(() -> asOtto.resetPassword("ada", TEMPORARY.toCharArray()))
                .isInstanceOf(AccessDeniedException.class).hasMessage("otto (operator) may not reset passwords: "
                        + "it needs the manage users permission");
        assertThat(users.signIn("ada", PW.toCharArray()).name()).as("ada's password unchanged").isEqualTo("ada");
        assertThat(audit()).anyMatch(e -> e.actor().equals("otto") && e.action().equals("access.denied")
                && e.subject().equals("user.password-reset ada"));

        GuardedEngine asAdmin = new GuardedEngine(admin, t.ctx);
        assertThatThrownBy(() -> asAdmin.resetPassword("admin", TEMPORARY.toCharArray()))
                .hasMessageContaining("you cannot reset your own password");
        assertThatThrownBy(() -> asAdmin.resetPassword("ada", "short".toCharArray()))
                .hasMessageContaining("at least 10 characters");
        assertThatThrownBy(() -> asAdmin.resetPassword("nobody", TEMPORARY.toCharArray()))
                .hasMessageContaining("there is no user named \"nobody\"");
    }

    @Test
    void theResetUserMustChooseANewPasswordAndTheAuditNamesBoth() {
        users.createUser(admin, "ada", Role.AUDITOR, PW.toCharArray());
        User adaSession = users.signIn("ada", PW.toCharArray());
        GuardedEngine asAda = new GuardedEngine(adaSession, t.ctx);
        assertThat(asAda.contracts()).isEmpty();

        char[] temporary = TEMPORARY.toCharArray();
        new GuardedEngine(admin, t.ctx).resetPassword("ada", temporary);
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
}
