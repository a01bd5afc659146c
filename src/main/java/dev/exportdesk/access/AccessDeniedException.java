package dev.exportdesk.access;

/** The acting user's role does not allow the requested action; nothing was changed. */
public class AccessDeniedException extends RuntimeException {
    private final String user;
    private final Permission permission;

    public AccessDeniedException(User user, Permission permission, String action) {
        super(user.name() + " (" + user.role().label() + ") may not " + action + ": it needs the "
                + permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " permission");
        this.user = user.name();
        this.permission = permission;
    }

    public String user() {
        return user;
    }

    public Permission permission() {
        return permission;
    }
}
