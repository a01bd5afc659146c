package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.StateStore;
import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The user-management SQL (roles, disabling with a NULL-able timestamp, password change, an admin's
 * reset with its must-change flag, removal)
 * runs unchanged on H2 and on a real PostgreSQL 15, like the rest of the state store.
 */
class UserManagementPortabilityTest {
    private static final String PW = "correct horse battery";
    @TempDir
    Path dir;

    private StateStore open(String kind) {
        return StateStores.open(kind, dir, "users");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void usersAreManagedTheSameOnBothDatabases(String kind) {
        try (StateStore store = open(kind)) {
            UserService users = new UserService(store, Clock.systemUTC());
            User admin = users.createFirstAdmin("admin", PW.toCharArray());
            users.createUser(admin, "ada", Role.AUDITOR, PW.toCharArray());
            users.changeRole(admin, "ada", Role.STEWARD);
            users.setDisabled(admin, "ada", true);
            assertThat(users.accounts(admin)).filteredOn(a -> a.user().name().equals("ada")).singleElement()
                    .matches(UserService.Account::disabled).matches(a -> a.user().role() == Role.STEWARD);
            assertThatThrownBy(() -> users.signIn("ada", PW.toCharArray()))
                    .isInstanceOf(UserService.AuthenticationException.class);
            users.setDisabled(admin, "ada", false);
            User ada = users.signIn("ada", PW.toCharArray());
            users.changeOwnPassword(ada, PW.toCharArray(), "a new long password".toCharArray());
            assertThat(users.signIn("ada", "a new long password".toCharArray()).role()).isEqualTo(Role.STEWARD);
            users.resetPassword(admin, "ada", "temporary 12345".toCharArray());
            assertThatThrownBy(() -> users.signIn("ada", "temporary 12345".toCharArray()))
                    .isInstanceOf(UserService.PasswordChangeRequiredException.class);
            users.signInWithNewPassword("ada", "temporary 12345".toCharArray(), "chosen by ada".toCharArray());
            assertThat(users.signIn("ada", "chosen by ada".toCharArray()).name()).isEqualTo("ada");
            users.remove(admin, "ada");
            assertThat(users.accounts(admin)).extracting(a -> a.user().name()).containsExactly("admin");
            java.util.List<dev.exportdesk.store.AuditEntry> log = store.inTransaction(c -> store.audit().recent(c, 50));
            assertThat(log).extracting(dev.exportdesk.store.AuditEntry::action).contains("user.role", "user.disable", "user.enable", "user.password", "user.password-reset", "user.remove");
        }
    }
}
