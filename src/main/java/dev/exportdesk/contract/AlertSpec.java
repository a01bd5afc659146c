package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A contract's optional {@code "alerts"}: a signed webhook and/or e-mail recipients, and the events
 * that alert. Validated by {@link ContractCodec} (structure only: whether an administrator allows the
 * webhook's URL is checked against the store at import and again before each send); read from the
 * stored contract body, like {@link VerificationSchedule}, so the {@link Contract} record keeps its shape.
 */
public record AlertSpec(URI webhook, String webhookSecret, List<String> emailTo, Set<Kind> on) {
    /** Recipients per contract: alerts go to a team's address, not to a mailing of the world. */
    public static final int MAX_RECIPIENTS = 10;
    /**
     * Deliberately narrower than RFC 5321: no quoting, spaces, commas, angle brackets or line breaks,
     * so an address can never carry a second header or recipient.
     */
    public static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final int MAX_URL = 2000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public AlertSpec {
        emailTo = List.copyOf(emailTo);
        on = Set.copyOf(on);
    }

    /** The events that alert; their JSON names are the enum names in lower case. */
    public enum Kind {
        RUN_FAILURE, SLO_BREACH, RECEIPT_OVERDUE, RECEIPT_REJECTED, SCHEMA_DRIFT, WORKER_SILENT, SLOT_AT_RISK;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean alerts(Kind kind) {
        return on.contains(kind);
    }

    /** The alerts of a stored (already validated) contract body; empty when it has none. */
    public static Optional<AlertSpec> of(String contractBody) {
        try {
            JsonNode node = MAPPER.readTree(contractBody).path("alerts");
            if (!node.isObject()) {
                return Optional.empty();
            }
            List<ValidationError> errors = new ArrayList<>();
            AlertSpec spec = read(new JsonFields(errors, node, "$.alerts"));
            return errors.isEmpty() ? Optional.ofNullable(spec) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Loopback http is for a receiver on the same host (tests, a local relay); anything else is https. */
    public static boolean loopback(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1") || h.equals("localhost");
    }

    /**
     * Why a webhook URL is not acceptable, or empty: https (or http to loopback), a host, no user
     * info (a password in a URL ends up in logs) and no fragment. The allow-list compares the text
     * exactly, so nothing is normalised here.
     */
    public static Optional<String> urlProblem(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (uri.getHost() == null || uri.isOpaque()) {
            return Optional.of("must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback(uri.getHost()))) {
            return Optional.of("must be https (plain http only to a loopback address)");
        }
        return Optional.empty();
    }

    static AlertSpec read(JsonFields a) {
        if (a == null) {
            return null;
        }
        a.rejectUnknown(Set.of("webhook", "email", "on"));
        URI url = null;
        String secret = null;
        JsonFields w = a.object("webhook", false);
        if (w != null) {
            w.rejectUnknown(Set.of("url", "secret"));
            String text = w.string("url", true, null, null, MAX_URL);
            if (text != null) {
                Optional<String> problem = urlProblem(text);
                problem.ifPresent(p -> w.error("url", p + " (got \"" + JsonFields.quote(text) + "\")"));
                url = problem.isPresent() ? null : URI.create(text);
            }
            // every webhook is signed: without a key the receiver could not tell an alert from a forgery
            secret = w.string("secret", true, ContractCodec.SAFE_NAME, "must name a secret in the vault "
                    + "(`exportdesk secret set NAME --scope webhook:ORIGIN`)", ContractCodec.MAX_NAME);
        }
        List<String> to = List.of();
        JsonFields e = a.object("email", false);
        if (e != null) {
            e.rejectUnknown(Set.of("to"));
            List<String> listed = e.stringList("to", true, true);
            if (listed != null) {
                if (listed.size() > MAX_RECIPIENTS) {
                    e.error("to", "lists " + listed.size() + " addresses; the limit is " + MAX_RECIPIENTS);
                }
                for (int i = 0; i < listed.size(); i++) {
                    String address = listed.get(i);
                    if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
                        e.error("to[" + i + "]", "\"" + JsonFields.quote(address) + "\" is not a plain e-mail address "
                                + "(name@example.com; no display names, quotes, spaces or line breaks)");
                    }
                }
                to = listed;
            }
        }
        if (w == null && e == null) {
            a.error("webhook", "give a \"webhook\", an \"email\" or both");
        }
        Set<Kind> on = EnumSet.allOf(Kind.class);
        if (a.has("on")) {
            List<String> names = a.stringList("on", true, true);
            on = EnumSet.noneOf(Kind.class);
            for (String n : names == null ? List.<String>of() : names) {
                Optional<Kind> kind = EnumSet.allOf(Kind.class).stream().filter(k -> k.jsonName().equals(n)).findFirst();
                if (kind.isEmpty()) {
                    a.error("on", "\"" + JsonFields.quote(n) + "\" is not an alert event (allowed: "
                            + String.join(", ", EnumSet.allOf(Kind.class).stream().map(Kind::jsonName).toList()) + ")");
                } else {
                    on.add(kind.get());
                }
            }
        }
        return new AlertSpec(url, secret, to, on);
    }

    void write(ObjectNode root) {
        ObjectNode alerts = root.putObject("alerts");
        if (webhook != null) {
            alerts.putObject("webhook").put("url", webhook.toString()).put("secret", webhookSecret);
        }
        if (!emailTo.isEmpty()) {
            emailTo.forEach(alerts.putObject("email").putArray("to")::add);
        }
        var kinds = alerts.putArray("on");
        for (Kind k : Kind.values()) {
            if (on.contains(k)) {
                kinds.add(k.jsonName());
            }
        }
    }
}
