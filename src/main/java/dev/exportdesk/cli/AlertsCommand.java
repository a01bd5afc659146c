package dev.exportdesk.cli;

import dev.exportdesk.alert.AlertEndpoints;
import dev.exportdesk.alert.AlertService;
import dev.exportdesk.alert.SmtpSettings;
import dev.exportdesk.store.AlertEndpointRepository;
import dev.exportdesk.store.AlertOutboxRepository;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alerts list|check|allow|revoke|endpoints|smtp}: the alert outbox, a check now, and the
 * administrators' settings: which webhook URLs contracts may name, and the SMTP server.
 */
@Command(name = "alerts", description = "Contract alerts (webhook, e-mail): what was raised and sent, and the "
        + "administrators' allow-list of webhook endpoints and SMTP server.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Check.class, AlertsCommand.Allow.class,
                AlertsCommand.Revoke.class, AlertsCommand.Endpoints.class, AlertsCommand.Smtp.class})
final class AlertsCommand {

    /** One alert pass after other work: says what it did on {@code err} only when there is something to say. */
    static void tick(CliContext ctx, PrintWriter err) {
        AlertService.Tick t = new AlertService(ctx.services()).tick();
        if (t.raised() > 0 || t.sent() > 0) {
            err.println("alerts: " + t.raised() + " raised, " + t.sent() + " sent");
        }
        if (t.error() != null) {
            err.println("alerts: not all evaluated or sent (" + Text.safe(t.error()) + "); see `exportdesk alerts list`");
        }
    }

    @Command(name = "list", description = "The newest alerts: state (PENDING, SENT, GAVE_UP), attempts, last error.")
    static final class ListAlerts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--limit", defaultValue = "50", description = "How many (newest first; default 50).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) {
                spec.commandLine().getErr().println("--limit must be between 1 and 10000");
                return ExitCodes.USAGE;
            }
            try (CliContext ctx = CliContext.open(spec)) {
                PrintWriter out = spec.commandLine().getOut();
                var rows = new AlertService(ctx.services()).recent(limit);
                if (rows.isEmpty()) {
                    out.println("no alerts");
                }
                for (AlertOutboxRepository.Row r : rows) {
                    out.printf("%d  %-8s %-8s %-17s %-24s attempts %d  %s%n", r.id(), r.state(), r.channel(), r.kind(),
                            r.contract(), r.attempts(), r.createdAt());
                    out.println("      " + r.summary());
                    if (r.lastError() != null) {
                        out.println("      last error: " + r.lastError()
                                + ("PENDING".equals(r.state()) ? " (next attempt " + r.nextAttemptAt() + ")" : ""));
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "check", description = "Raise the alerts the store shows now and send what is due.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                AlertService.Tick t = new AlertService(ctx.services()).tick();
                spec.commandLine().getOut().println(t.raised() + " raised, " + t.sent() + " sent");
                if (t.error() != null) {
                    spec.commandLine().getErr().println("error: " + Text.safe(t.error()));
                    return ExitCodes.UNAVAILABLE;
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "allow", description = "Allow contracts to name this webhook URL (administrators; audited).")
    static final class Allow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URL", description = "https URL (http only to 127.0.0.1, [::1] or localhost), "
                + "exactly as contracts will write it.")
        String url;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                boolean added = new AlertEndpoints(ctx.workspace().store(), Clock.systemUTC()).allow(url, ctx.actor());
                spec.commandLine().getOut().println(added ? "allowed " + url.strip() : url.strip() + " was already allowed");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke", description = "Withdraw a webhook URL; alerts to it stop at once (audited).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URL")
        String url;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                boolean removed = new AlertEndpoints(ctx.workspace().store(), Clock.systemUTC()).revoke(url, ctx.actor());
                spec.commandLine().getOut().println(removed ? "revoked " + Text.safe(url.strip())
                        : Text.safe(url.strip()) + " was not allowed");
                return removed ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
            }
        }
    }

    @Command(name = "endpoints", description = "The webhook URLs contracts may name.")
    static final class Endpoints implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                var rows = new AlertEndpoints(ctx.workspace().store(), Clock.systemUTC()).list();
                if (rows.isEmpty()) {
                    spec.commandLine().getOut().println("no alert endpoints allowed (contracts cannot name a webhook)");
                }
                for (AlertEndpointRepository.Row r : rows) {
                    spec.commandLine().getOut().println(r.url() + "  (by " + r.createdBy() + ", " + r.createdAt() + ")");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "smtp", description = "Show or set the SMTP server alert e-mail leaves through (administrators; "
            + "audited). The password is a vault secret bound to smtp://HOST:PORT.")
    static final class Smtp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--host", paramLabel = "HOST")
        String host;

        @Option(names = "--port", defaultValue = "587")
        int port;

        @Option(names = "--security", defaultValue = "STARTTLS", description = "STARTTLS (default), TLS, or NONE "
                + "(only to a loopback relay).")
        SmtpSettings.Security security;

        @Option(names = "--from", paramLabel = "ADDRESS", description = "Sender address.")
        String from;

        @Option(names = "--user", paramLabel = "USER")
        String user;

        @Option(names = "--password-secret", paramLabel = "NAME", description = "Vault secret holding the password.")
        String passwordSecret;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.open(spec)) {
                SmtpSettings settings = new SmtpSettings(ctx.workspace().store(), Clock.systemUTC());
                PrintWriter out = spec.commandLine().getOut();
                if (host == null && from == null) {
                    settings.get().ifPresentOrElse(s -> out.println(s.host() + ":" + s.port() + " " + s.security()
                            + " from " + s.sender() + (s.username() == null ? "" : " as " + s.username()
                            + " (password: secret " + s.passwordSecret() + ")")), () -> out.println("no SMTP server set"));
                    return ExitCodes.OK;
                }
                if (host == null || from == null) {
                    spec.commandLine().getErr().println("give --host and --from (and --user with --password-secret "
                            + "for a server that wants a login)");
                    return ExitCodes.USAGE;
                }
                var s = settings.set(host, port, security, from, user, passwordSecret, ctx.actor());
                out.println("alert e-mail goes through " + s.host() + ":" + s.port() + " (" + s.security() + ")");
                return ExitCodes.OK;
            }
        }
    }
}
