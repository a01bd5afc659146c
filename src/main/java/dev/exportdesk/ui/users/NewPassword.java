package dev.exportdesk.ui.users;

import dev.exportdesk.access.UserService;

/**
 * A new password typed twice, checked while it is typed by the engine's own rule
 * ({@link UserService#checkPassword}), so a form says what is wrong before anything is sent.
 */
public final class NewPassword {
    private NewPassword() {
    }

    /** Why the pair cannot be used, in a form's words ({@code what}: "The new password"…); empty when it can. */
    public static String problem(String what, String password, String repeat) {
        if (password.length() < UserService.MIN_PASSWORD_LENGTH) {
            return what + " needs at least " + UserService.MIN_PASSWORD_LENGTH + " characters.";
        }
        if (!password.equals(repeat)) {
            return "The two passwords differ.";
        }
        return "";
    }
}
