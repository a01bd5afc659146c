package dev.exportdesk.ui.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * User management on a real state store, without a toolkit: what the admin does in the screen is
 * what sign-in then sees (new user, new role, disabled, enabled, removed), the last admin cannot
 * be demoted, a non-admin's screen manages nothing and the engine refuses them too, and anyone can
 * change their own password with the old one. An admin resets another user's password through a
 * form that checks it as typed, and the user must then choose a new one; a role change shows at the
 * screen's next refresh. No password ever reaches the audit log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UsersViewModelTest {
    private static final String NEW_PASSWORD = "another long secret";
    private static final String TEMPORARY = "temporary 12345";
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    RecordingDialogs dialogs = new RecordingDialogs();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private UsersViewModel model(User user) {
        UsersViewModel m = new UsersViewModel(fixture.context(user, new DirectTaskRunner(), dialogs, Runnable::run));
        m.refresh();
        return m;
    }

    private UserService.Account account(UsersViewModel m, String name) {
        return m.accounts().stream().filter(a -> a.user().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anAdminCreatesChangesDisablesAndRemovesAUser() {
        UsersViewModel m = model(fixture.admin);
        assertThat(m.canManageProperty().get()).isTrue();
        assertThat(m.accounts()).extracting(a -> a.user().name()).containsExactly("admin");

        m.newNameProperty().set("ada");
        m.newRoleProperty().set(Role.AUDITOR);
        m.newPasswordProperty().set(ConsoleFixture.PASSWORD);
        m.newPasswordRepeatProperty().set("typo " + ConsoleFixture.PASSWORD);
        assertThat(m.newProblemProperty().get()).isEqualTo("The two passwords differ.");
        m.newPasswordRepeatProperty().set(ConsoleFixture.PASSWORD);
        assertThat(m.newProblemProperty().get()).isEmpty();
        m.create();
        assertThat(m.messageProperty().get()).isEqualTo("Created ada (auditor).");
        assertThat(m.newPasswordProperty().get()).as("password fields cleared").isEmpty();
        assertThat(fixture.users.signIn("ada", ConsoleFixture.PASSWORD.toCharArray()).role()).isEqualTo(Role.AUDITOR);

        m.selectedProperty().set(account(m, "ada"));
        m.selectedRoleProperty().set(Role.STEWARD);
        m.applyRole();
        assertThat(fixture.users.signIn("ada", ConsoleFixture.PASSWORD.toCharArray()).role()).isEqualTo(Role.STEWARD);
        assertThat(m.selectedProperty().get().user().role()).as("list re-read").isEqualTo(Role.STEWARD);

        m.toggleDisabled();
        assertThat(UsersViewModel.status(account(m, "ada"))).startsWith("disabled since ");
        assertThatThrownBy(() -> fixture.users.signIn("ada", ConsoleFixture.PASSWORD.toCharArray()))
                .isInstanceOf(UserService.AuthenticationException.class);
        m.toggleDisabled();
        assertThat(fixture.users.signIn("ada", ConsoleFixture.PASSWORD.toCharArray())).isNotNull();

        dialogs.answer = false;
        m.remove();
        assertThat(m.accounts()).as("not confirmed: kept").hasSize(2);
        dialogs.answer = true;
        m.remove();
        assertThat(m.accounts()).extracting(a -> a.user().name()).containsExactly("admin");
        assertThat(m.messageProperty().get()).isEqualTo("Removed ada.");

        List<String> actions = fixture.engine(fixture.admin).audit(50).stream()
                .filter(e -> e.subject().equals("ada")).map(AuditEntry::action).toList();
        assertThat(actions).contains("user.create", "user.role", "user.disable", "user.enable", "user.remove");
    }

    /**
     * A name the engine would refuse is said as it is typed; a name taken after the list was read is
     * refused by the engine, said under the name once the list is re-read, and the passwords stay typed.
     */
    @Test
    void aNameProblemKeepsThePasswordsAndIsSaidAtTheName() {
        UsersViewModel m = model(fixture.admin);
        m.newNameProperty().set("Ada Lovelace");
        m.newPasswordProperty().set(NEW_PASSWORD);
        m.newPasswordRepeatProperty().set(NEW_PASSWORD);
        assertThat(m.newNameProblemProperty().get()).isEqualTo("User names are 2-64 lowercase letters, digits, "
                + "'.', '_' or '-', starting with a letter.");
        assertThat(m.newProblemProperty().get()).isEqualTo(m.newNameProblemProperty().get());

        fixture.user("ada", Role.AUDITOR);
        m.newNameProperty().set("ada");
        assertThat(m.newNameProblemProperty().get()).as("not listed yet").isEmpty();
        m.create();
        assertThat(m.messageProperty().get()).startsWith("Not changed: a user named \"ada\" already exists");
        assertThat(m.newPasswordProperty().get()).as("password kept").isEqualTo(NEW_PASSWORD);
        assertThat(m.newPasswordRepeatProperty().get()).as("repeat kept").isEqualTo(NEW_PASSWORD);
        assertThat(m.newNameProblemProperty().get()).isEqualTo("There is already a user named ada.");
        assertThat(fixture.users.signIn("ada", ConsoleFixture.PASSWORD.toCharArray()).role()).isEqualTo(Role.AUDITOR);

        m.newNameProperty().set("grace");
        m.create();
        assertThat(m.messageProperty().get()).isEqualTo("Created grace (operator).");
        assertThat(m.newNameProperty().get() + m.newPasswordProperty().get() + m.newPasswordRepeatProperty().get())
                .as("emptied once created").isEmpty();
    }

    @Test
    void theLastAdminStaysAnAdmin() {
        UsersViewModel m = model(fixture.admin);
        m.selectedProperty().set(account(m, "admin"));
        m.selectedRoleProperty().set(Role.OPERATOR);
        m.applyRole();
        assertThat(m.messageProperty().get())
                .isEqualTo("Not changed: cannot take the admin role from admin: it is the last enabled admin");
        assertThat(account(m, "admin").user().role()).isEqualTo(Role.ADMIN);
        m.toggleDisabled();
        assertThat(m.messageProperty().get()).contains("you cannot disable yourself");
    }

    @Test
    void aNonAdminManagesNothingAndTheEngineRefusesToo() {
        User otto = fixture.user("otto", Role.OPERATOR);
        UsersViewModel m = model(otto);
        assertThat(m.canManageProperty().get()).isFalse();
        assertThat(m.accounts()).isEmpty();
        assertThat(m.messageProperty().get()).contains("Only an admin manages users");
        var engine = fixture.engine(otto);
        assertThatThrownBy(() -> engine.users().accounts()).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.users().createUser("mallory", Role.ADMIN, ConsoleFixture.PASSWORD.toCharArray()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("otto (operator) may not create users");
        assertThatThrownBy(() -> engine.users().changeRole("otto", Role.ADMIN)).isInstanceOf(AccessDeniedException.class);
        assertThat(fixture.users.signIn("otto", ConsoleFixture.PASSWORD.toCharArray()).role()).isEqualTo(Role.OPERATOR);
        assertThat(fixture.engine(fixture.admin).audit(50)).anyMatch(e -> e.actor().equals("otto")
                && e.action().equals("access.denied") && e.subject().equals("user.create mallory"));
    }

    @Test
    void anyoneChangesTheirOwnPasswordWithTheOldOne() {
        User otto = fixture.user("otto", Role.OPERATOR);
        PasswordViewModel pw = model(otto).password();
        pw.currentProperty().set("not my password");
        pw.nextProperty().set(NEW_PASSWORD);
        pw.repeatProperty().set(NEW_PASSWORD);
        pw.change();
        assertThat(pw.messageProperty().get()).isEqualTo("Your password was not changed: the current password is wrong");
        assertThat(fixture.users.signIn("otto", ConsoleFixture.PASSWORD.toCharArray())).isNotNull();

        pw.currentProperty().set(ConsoleFixture.PASSWORD);
        pw.nextProperty().set("short");
        assertThat(pw.problemProperty().get()).contains("at least 10 characters");
        pw.nextProperty().set(NEW_PASSWORD);
        pw.repeatProperty().set(NEW_PASSWORD);
        pw.change();
        assertThat(pw.messageProperty().get()).startsWith("Your password was changed");
        assertThat(pw.currentProperty().get()).isEmpty();
        assertThat(fixture.users.signIn("otto", NEW_PASSWORD.toCharArray()).name()).isEqualTo("otto");
        assertThatThrownBy(() -> fixture.users.signIn("otto", ConsoleFixture.PASSWORD.toCharArray()))
                .isInstanceOf(UserService.AuthenticationException.class);

        List<AuditEntry> log = fixture.engine(fixture.admin).audit(100);
        assertThat(log).anyMatch(e -> e.actor().equals("otto") && e.action().equals("user.password"));
        assertThat(log).anyMatch(e -> e.actor().equals("otto") && e.action().equals("user.password-failed"));
        assertThat(log).allSatisfy(e -> assertThat(e.subject() + e.before() + e.after())
                .doesNotContain(NEW_PASSWORD).doesNotContain(ConsoleFixture.PASSWORD).doesNotContain("not my password"));
    }

    @Test
    void anAdminResetsAnotherUsersPasswordThroughTheForm() {
        fixture.user("ada", Role.AUDITOR);
        UsersViewModel m = model(fixture.admin);
        assertThat(m.resetSelected()).as("nothing selected").isEmpty();
        m.selectedProperty().set(account(m, "ada"));
        ResetPasswordViewModel form = m.resetSelected().orElseThrow();
        assertThat(form.title()).isEqualTo("Reset the password of ada");
        form.passwordProperty().set("short");
        assertThat(form.problemProperty().get()).isEqualTo("The temporary password needs at least 10 characters.");
        assertThat(form.submit()).isFalse();
        form.passwordProperty().set(TEMPORARY);
        form.repeatProperty().set(TEMPORARY + "!");
        assertThat(form.problemProperty().get()).isEqualTo("The two passwords differ.");
        form.repeatProperty().set(TEMPORARY);
        assertThat(form.problemProperty().get()).isEmpty();
        assertThat(form.submit()).isTrue();
        assertThat(form.passwordProperty().get() + form.repeatProperty().get()).as("fields cleared").isEmpty();
        assertThat(m.messageProperty().get())
                .isEqualTo("ada has a temporary password and must choose a new one at their next sign-in.");
        assertThat(UsersViewModel.status(account(m, "ada"))).isEqualTo("enabled, new password due");
        assertThatThrownBy(() -> fixture.users.signIn("ada", TEMPORARY.toCharArray()))
                .isInstanceOf(UserService.PasswordChangeRequiredException.class);

        m.selectedProperty().set(account(m, "admin"));
        ResetPasswordViewModel own = m.resetSelected().orElseThrow();
        own.passwordProperty().set(TEMPORARY);
        own.repeatProperty().set(TEMPORARY);
        own.submit();
        assertThat(m.messageProperty().get()).startsWith("Not changed: you cannot reset your own password");

        assertThat(fixture.engine(fixture.admin).audit(100)).anyMatch(e -> e.actor().equals("admin")
                && e.action().equals("user.password-reset") && e.subject().equals("ada"))
                .allSatisfy(e -> assertThat(e.subject() + e.before() + e.after()).doesNotContain(TEMPORARY));
    }

    @Test
    void aDemotedAdminsScreenStopsManagingAtItsNextRefresh() {
        User sam = fixture.user("sam", Role.ADMIN);
        UsersViewModel m = model(sam);
        assertThat(m.canManageProperty().get()).isTrue();
        assertThat(m.accounts()).hasSize(2);
        fixture.users.changeRole(fixture.admin, "sam", Role.OPERATOR);
        m.refresh();
        assertThat(m.canManageProperty().get()).isFalse();
        assertThat(m.accounts()).isEmpty();
        assertThat(m.messageProperty().get()).contains("Only an admin manages users");
        fixture.users.setDisabled(fixture.admin, "sam", true);
        m.refresh();
        assertThat(m.messageProperty().get())
                .isEqualTo("Could not read the users: Your account was disabled by an administrator, so this "
                        + "session can do nothing more. Ask an admin to enable it, then sign in again.");
    }
}
