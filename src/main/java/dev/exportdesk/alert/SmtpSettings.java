package dev.exportdesk.alert;

import dev.exportdesk.contract.AlertSpec;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.store.AlertSmtpRepository;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.text.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one SMTP server alert e-mail leaves through: an administrator's setting, never a contract's,
 * so a steward cannot point the host's mail at a server of their choosing. The password stays in the
 * vault, bound to scope {@code smtp://HOST:PORT}; only its name is stored here.
 */
public final class SmtpSettings {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private final StateStore store;
    private final Clock clock;
    private final AlertSmtpRepository rows = new AlertSmtpRepository();

    /** How the connection is protected; NONE only to a relay on this host (loopback). */
    public enum Security {
        STARTTLS, TLS, NONE
    }

    public SmtpSettings(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sets the server (audited {@code alert.smtp}); every argument is checked and a bad one named. */
    public AlertSmtpRepository.Settings set(String host, int port, Security security, String sender, String username,
                                            String passwordSecret, String actor) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new AlertException("host: give a host name or IPv4 address (got \"" + Text.safe(host) + "\")");
        }
        if (port < 1 || port > 65535) {
            throw new AlertException("port: must be between 1 and 65535 (got " + port + ")");
        }
        if (security == Security.NONE && !AlertSpec.loopback(host)) {
            throw new AlertException("security: NONE (plain SMTP) is only allowed to a loopback relay; use STARTTLS "
                    + "or TLS for " + host);
        }
        if (sender == null || sender.length() > 254 || !AlertSpec.ADDRESS.matcher(sender).matches()) {
            throw new AlertException("from: must be a plain e-mail address (got \"" + Text.safe(sender) + "\")");
        }
        if (username != null && (username.isBlank() || username.length() > 254
                || Text.firstUnsafe(username, false) != null)) {
            throw new AlertException("user: must be 1-254 printable characters");
        }
        if (passwordSecret != null && !ContractCodec.SAFE_NAME.matcher(passwordSecret).matches()) {
            throw new AlertException("password-secret: must name a secret in the vault (got \""
                    + Text.safe(passwordSecret) + "\")");
        }
        if ((username == null) != (passwordSecret == null)) {
            throw new AlertException("user and password-secret go together (both or neither)");
        }
        Instant now = clock.instant();
        AlertSmtpRepository.Settings s = new AlertSmtpRepository.Settings(host, port, security.name(), sender,
                username, passwordSecret, actor, now);
        store.updateDurably(c -> {
            Optional<AlertSmtpRepository.Settings> before = rows.get(c);
            rows.set(c, s);
            store.audit().append(c, now, actor, "alert.smtp", "alert smtp", before.map(SmtpSettings::describe)
                    .orElse(null), describe(s));
        });
        return s;
    }

    public Optional<AlertSmtpRepository.Settings> get() {
        return store.inTransaction(rows::get);
    }

    private static String describe(AlertSmtpRepository.Settings s) {
        return AdminAudit.json("host", s.host(), "port", Integer.toString(s.port()), "security", s.security(),
                "from", s.sender(), "user", s.username() == null ? "" : s.username(), "password_secret",
                s.passwordSecret() == null ? "" : s.passwordSecret());
    }
}
