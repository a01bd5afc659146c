package dev.exportdesk.ui.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in after an admin's reset, without a toolkit, on a real workspace: the temporary password
 * alone signs nobody in; the form asks for a new one, checks it as typed, and signs in with it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginViewModelTest {
    private static final String TEMPORARY = "temporary 12345";
    private static final String CHOSEN = "ada's own passphrase";
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    final AtomicReference<User> signedIn = new AtomicReference<>();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        fixture.user("ada", Role.AUDITOR);
        fixture.users.resetPassword(fixture.admin, "ada", TEMPORARY.toCharArray());
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private LoginViewModel signInAsAda() {
        LoginViewModel m = new LoginViewModel(fixture.users, new DirectTaskRunner(), false, signedIn::set);
        m.nameProperty().set("ada");
        m.passwordProperty().set(TEMPORARY);
        m.submit();
        return m;
    }

    @Test
    void aResetUserChoosesANewPasswordBeforeSigningIn() {
        LoginViewModel m = signInAsAda();
        assertThat(signedIn.get()).as("not signed in on the temporary password").isNull();
        assertThat(m.mustChangeProperty().get()).isTrue();
        assertThat(m.messageProperty().get()).startsWith("An administrator reset your password.");
        assertThat(m.problemProperty().get()).isEqualTo("The new password needs at least 10 characters.");
        m.nextProperty().set(CHOSEN);
        m.nextRepeatProperty().set("typo");
        assertThat(m.problemProperty().get()).isEqualTo("The two passwords differ.");
        m.submit();
        assertThat(signedIn.get()).as("refused while the form is incomplete").isNull();

        m.nextRepeatProperty().set(CHOSEN);
        assertThat(m.problemProperty().get()).isEmpty();
        m.submit();
        assertThat(signedIn.get().name()).isEqualTo("ada");
        assertThat(m.mustChangeProperty().get()).isFalse();
        assertThat(m.passwordProperty().get() + m.nextProperty().get() + m.nextRepeatProperty().get()).isEmpty();
        assertThat(fixture.users.signIn("ada", CHOSEN.toCharArray()).role()).isEqualTo(Role.AUDITOR);
    }

    @Test
    void theSameTemporaryPasswordCannotBeChosenAndAnotherNameStartsOver() {
        LoginViewModel m = signInAsAda();
        m.nextProperty().set(TEMPORARY);
        m.nextRepeatProperty().set(TEMPORARY);
        m.submit();
        assertThat(m.messageProperty().get()).isEqualTo("the new password is the same as the current one");
        assertThat(m.mustChangeProperty().get()).isTrue();

        m.nameProperty().set("admin");
        assertThat(m.mustChangeProperty().get()).isFalse();
        assertThat(m.passwordProperty().get()).as("the temporary password is forgotten").isEmpty();
        assertThat(signedIn.get()).isNull();
    }

    @Test
    void aGuesserIsToldTheNameIsLockedAndTheRightPasswordDoesNotOpenIt() {
        LoginViewModel m = new LoginViewModel(fixture.users, new DirectTaskRunner(), false, signedIn::set);
        for (int i = 0; i < dev.exportdesk.access.UserService.MAX_FAILED_SIGN_INS; i++) {
            m.nameProperty().set("ada");
            m.passwordProperty().set("a wrong guess " + i);
            m.submit();
        }
        assertThat(m.messageProperty().get()).contains("This account is locked after 5 failed sign-ins in a row");
        m.nameProperty().set("ada");
        m.passwordProperty().set(TEMPORARY);
        m.submit();
        assertThat(signedIn.get()).isNull();
        assertThat(m.mustChangeProperty().get()).as("the lock is checked before the password").isFalse();
        assertThat(m.messageProperty().get()).startsWith("This account is locked");
    }
}
