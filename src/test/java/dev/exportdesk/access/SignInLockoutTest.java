package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SteppedClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guessing passwords at the sign-in window: after five failures in a row the name is locked out for
 * a quarter of an hour, whatever is typed (even the right password), audited; the lock runs out, or
 * an admin's password reset lifts it. A success clears the count and is shown as the last sign-in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignInLockoutTest {
    @TempDir
    Path dir;

    private StateStore store(String kind) {
        return kind.equals("h2")
                ? StateStore.open("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(), "sa", "")
                : StateStore.open(PostgresCluster.shared().createDatabase("lockout"), "postgres", "");
    }

    private static char[] pw(String s) {
        return s.toCharArray();
    }

    private static List<String> actions(StateStore store, String subject) {
        List<String> newestFirst = store.inTransaction(c -> store.audit().recent(c, 200)).stream()
                .filter(e -> subject.equals(e.subject())).map(AuditEntry::action).toList();
        List<String> out = new java.util.ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void fiveFailuresLockTheNameOutUntilTheLockRunsOutOrAnAdminResetsThePassword(String kind) {
        SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T10:00:00Z"));
        try (StateStore store = store(kind)) {
            UserService users = new UserService(store, clock);
            User admin = users.createFirstAdmin("admin", pw("a long enough secret"));
            users.createUser(admin, "ada", Role.AUDITOR, pw("auditor secret!!"));

            // a success between failures starts the count again
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> users.signIn("ada", pw("guess number 1")))
                        .hasMessage("wrong user name or password");
            }
            users.signIn("ada", pw("auditor secret!!"));
            assertThat(account(users, admin, "ada").lastSignInAt()).isEqualTo(clock.instant());
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> users.signIn("ada", pw("guess again!"))).hasMessage("wrong user name or password");
            }
            assertThatThrownBy(() -> users.signIn("ada", pw("guess again!")))
                    .hasMessageStartingWith("wrong user name or password. This account is locked after 5 failed "
                            + "sign-ins in a row, until 2026-12-04 10:15 UTC");
            assertThat(account(users, admin, "ada").lockedAt(clock.instant())).isTrue();

            // locked: the right password is refused too, so the lock tells a guesser nothing
            clock.advance(Duration.ofMinutes(14));
            assertThatThrownBy(() -> users.signIn("ada", pw("auditor secret!!")))
                    .hasMessageStartingWith("This account is locked");
            // run out: in again
            clock.advance(Duration.ofMinutes(1));
            assertThat(users.signIn("ada", pw("auditor secret!!")).name()).isEqualTo("ada");
            assertThat(account(users, admin, "ada").lockedUntil()).isNull();

            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> users.signIn("ada", pw("guess number 3"))).isInstanceOf(
                        UserService.AuthenticationException.class);
            }
            assertThatThrownBy(() -> users.signIn("ada", pw("auditor secret!!"))).hasMessageStartingWith("This account is locked");
            users.resetPassword(admin, "ada", pw("temporary secret"));
            assertThatThrownBy(() -> users.signIn("ada", pw("temporary secret")))
                    .isInstanceOf(UserService.PasswordChangeRequiredException.class);
            assertThat(users.signInWithNewPassword("ada", pw("temporary secret"), pw("ada's own secret")).name())
                    .isEqualTo("ada");

            assertThat(actions(store, "ada")).containsSubsequence("user.sign-in-failed", "user.locked",
                    "user.sign-in-locked", "user.sign-in", "user.locked", "user.sign-in-locked", "user.password-reset",
                    "user.sign-in");
            assertThat(actions(store, "ada").stream().filter("user.locked"::equals)).hasSize(2);
        }
    }

    private static UserService.Account account(UserService users, User admin, String name) {
        return users.accounts(admin).stream().filter(a -> a.user().name().equals(name)).findFirst().orElseThrow();
    }
}
