package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.testing.PostgresCluster;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Users on both supported state stores (the V4 migration is portable SQL): first admin, salted
 * PBKDF2 hashes with 600,000 iterations and no plain text, sign-in, role checks, and every step
 * in the audit log with who did it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserServiceTest {
    @TempDir
    Path dir;

    private StateStore store(String kind) {
        return kind.equals("h2")
                ? StateStore.open("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(), "sa", "")
                : StateStore.open(PostgresCluster.shared().createDatabase("users"), "postgres", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void firstAdminSignInRolesAndAudit(String kind) {
        try (StateStore store = store(kind)) {
            UserService users = new UserService(store, Clock.systemUTC());
            assertThat(users.needsFirstAdmin()).isTrue();
            assertThatThrownBy(() -> users.createFirstAdmin("admin", "short".toCharArray()))
                    .hasMessageContaining("at least 10 characters");
            User admin = users.createFirstAdmin("admin", "a long enough secret".toCharArray());
            assertThat(admin.role()).isEqualTo(Role.ADMIN);
            assertThat(users.needsFirstAdmin()).isFalse();
            assertThatThrownBy(() -> users.createFirstAdmin("eve", "another long secret".toCharArray()))
                    .hasMessageContaining("already exists");

            User ada = users.createUser(admin, "ada", Role.AUDITOR, "auditor secret!!".toCharArray());
            User sam = users.createUser(admin, "sam", Role.STEWARD, "steward secret!!".toCharArray());
            assertThatThrownBy(() -> users.createUser(ada, "mallory", Role.ADMIN, "0123456789ab".toCharArray()))
                    .isInstanceOf(AccessDeniedException.class);

            assertThat(users.signIn("ada", "auditor secret!!".toCharArray())).isEqualTo(ada);
            assertThatThrownBy(() -> users.signIn("ada", "wrong password".toCharArray()))
                    .isInstanceOf(UserService.AuthenticationException.class);
            assertThatThrownBy(() -> users.signIn("nobody", "whatever 123".toCharArray()))
                    .hasMessage("wrong user name or password");

            List<String> hashes = store.inTransaction(c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement("SELECT password_hash FROM users ORDER BY id");
                     ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
            assertThat(hashes).hasSize(3).allMatch(h -> h.startsWith("pbkdf2-sha256$600000$"))
                    .noneMatch(h -> h.contains("secret"));
            assertThat(hashes.stream().map(h -> h.split("\\$")[2]).distinct()).as("salts differ").hasSize(3);

            List<AuditEntry> audit = store.inTransaction(c -> store.audit().recent(c, 20));
            assertThat(audit).extracting(e -> e.actor() + " " + e.action() + " " + e.subject()).contains(
                    "admin user.create admin", "admin user.create ada", "admin user.create sam",
                    "ada access.denied user.create mallory", "ada user.sign-in ada", "ada user.sign-in-failed ada");
            assertThat(sam.can(Permission.EDIT_CONTRACTS)).isTrue();
            assertThat(sam.can(Permission.OPERATE_RUNS)).isFalse();
        }
    }
}
