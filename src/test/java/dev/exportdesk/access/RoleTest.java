package dev.exportdesk.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The permission matrix of issue 6: steward edits, operator runs, auditor reads and verifies, admin all. */
class RoleTest {
    @Test
    void matrix() {
        assertThat(Role.STEWARD.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.EDIT_CONTRACTS,
                Permission.CONTROL_SCHEDULE);
        assertThat(Role.OPERATOR.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.OPERATE_RUNS,
                Permission.CONTROL_SCHEDULE);
        assertThat(Role.AUDITOR.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.VERIFY);
        assertThat(Role.ADMIN.permissions()).containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void hashesVerifyOnlyTheirPassword() {
        PasswordHasher h = new PasswordHasher();
        String a = h.hash("correct horse".toCharArray());
        assertThat(h.matches("correct horse".toCharArray(), a)).isTrue();
        assertThat(h.matches("correct hors".toCharArray(), a)).isFalse();
        assertThat(h.matches("correct horse".toCharArray(), a.replace("$600000$", "$1000$"))).as("weakened").isFalse();
        assertThat(h.matches("x".toCharArray(), "garbage")).isFalse();
    }
}
