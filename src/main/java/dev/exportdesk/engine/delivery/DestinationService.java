package dev.exportdesk.engine.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.contract.FolderDestinationSpec;
import dev.exportdesk.contract.NamedDestinationSpec;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.secret.SecretScope;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.store.DestinationRepository.DestinationRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Named destinations, an administrator's business like source connections: a contract says
 * {@code "destination": "acme-sftp"} and the definition (host, bucket, the names of the secrets) lives
 * here. Credentials typed into the administrator's form go straight into the vault, bound to the
 * destination's scope, under {@code destination.NAME.*}; the definition and the audit log only ever
 * hold their names. Every change is audited with the definition before and after.
 */
public final class DestinationService {
    /** Short enough that {@code destination.NAME.secret-access-key} is a valid secret name. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final EngineContext ctx;
    private final DestinationProbe probe;

    public DestinationService(EngineContext ctx, DestinationProbe probe) {
        this.ctx = ctx;
        this.probe = probe;
    }

    /** A stored destination. */
    public record Definition(String name, DestinationSpec spec, String updatedBy, Instant updatedAt) {
    }

    /** A destination with the contracts (any of their versions) that name it. */
    public record Usage(Definition destination, List<String> contracts) {
        public Usage {
            contracts = List.copyOf(contracts);
        }
    }

    /**
     * Credentials typed into the form, each null or empty to keep the stored one; never stored
     * anywhere but the vault.
     */
    public record Credentials(String password, String privateKey, String accessKeyId, String secretAccessKey) {
        public static final Credentials NONE = new Credentials(null, null, null, null);

        Map<String, String> given() {
            Map<String, String> m = new LinkedHashMap<>();
            put(m, "password", password);
            put(m, "private_key", privateKey);
            put(m, "access_key_id", accessKeyId);
            put(m, "secret_access_key", secretAccessKey);
            return m;
        }

        private static void put(Map<String, String> m, String base, String value) {
            if (value != null && !value.isEmpty()) {
                m.put(base, value);
            }
        }

        @Override
        public String toString() {
            return "Credentials[not shown]";
        }
    }

    /** The vault entry a credential typed for {@code base} (e.g. {@code password}) is stored under. */
    public static String secretName(String destination, String base) {
        return "destination." + destination + "." + base.replace('_', '-');
    }

    public List<Definition> list() {
        return ctx.store().inTransaction(c -> ctx.store().destinations().list(c)).stream()
                .map(DestinationService::definition).toList();
    }

    public Optional<Definition> find(String name) {
        return ctx.store().inTransaction(c -> ctx.store().destinations().find(c, name))
                .map(DestinationService::definition);
    }

    public List<Usage> usage() {
        return ctx.store().inTransaction(c -> {
            Map<String, TreeSet<String>> users = usedBy(c);
            List<Usage> out = new ArrayList<>();
            for (DestinationRecord r : ctx.store().destinations().list(c)) {
                out.add(new Usage(definition(r), List.copyOf(users.getOrDefault(r.name(), new TreeSet<>()))));
            }
            return out;
        });
    }

    /** The current definition of a contract's named destination (what a run sends to). */
    public DestinationSpec resolve(NamedDestinationSpec named, String origin) {
        return find(named.name()).map(Definition::spec).orElseThrow(() -> new EngineException(origin
                + ": no destination named \"" + named.name() + "\" (see `exportdesk destination list`)"));
    }

    /**
     * Every reason the definition cannot be saved, as "field: message" (empty when it can); {@code
     * specJson} is a contract's destination object, {@code credentials} what the form was given.
     */
    public List<String> problems(String name, String specJson, Credentials credentials) {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name: use 1-32 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }
        try {
            DestinationSpec spec = ContractCodec.parseDestination(withCredentials(name, specJson, credentials),
                    "destination");
            if (spec instanceof FolderDestinationSpec && !credentials.given().isEmpty()) {
                problems.add("password: folder destinations take no credentials");
            }
        } catch (ContractValidationException e) {
            for (ValidationError v : e.errors()) {
                problems.add(field(v.path()) + ": " + v.message());
            }
        }
        return problems;
    }

    /** Adds a destination, storing the typed credentials in the vault first; refuses an existing name. */
    public void add(String name, String specJson, Credentials credentials) {
        save(name, specJson, credentials, true);
    }

    /** Replaces a destination's definition; contracts naming it send through it from their next run. */
    public void change(String name, String specJson, Credentials credentials) {
        save(name, specJson, credentials, false);
    }

    private void save(String name, String given, Credentials credentials, boolean adding) {
        Optional<Definition> before = name != null && NAME.matcher(name).matches() ? find(name) : Optional.empty();
        String specJson = adding || before.isEmpty() ? given : keepCredentials(given, before.get().spec());
        List<String> problems = problems(name, specJson, credentials);
        if (!problems.isEmpty()) {
            throw new DestinationDefinitionException(name, problems);
        }
        if (adding && before.isPresent()) {
            throw new EngineException("destination \"" + name + "\" exists already; change it with "
                    + "`exportdesk destination set " + name + "`");
        }
        if (!adding && before.isEmpty()) {
            throw unknown(name);
        }
        DestinationSpec spec = ContractCodec.parseDestination(withCredentials(name, specJson, credentials),
                "destination " + name);
        String canonical = ContractCodec.writeDestination(spec);
        storeCredentials(name, spec, credentials, before.map(Definition::spec));
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            if (adding) {
                if (ctx.store().destinations().find(c, name).isPresent()) {
                    throw new EngineException("destination \"" + name + "\" exists already");
                }
                ctx.store().destinations().insert(c, name, canonical, ctx.actor(), now);
            } else {
                ctx.store().destinations().update(c, name, canonical, ctx.actor(), now);
            }
            ctx.store().audit().append(c, now, ctx.actor(), adding ? "destination.add" : "destination.set",
                    "destination " + name, before.map(d -> ContractCodec.writeDestination(d.spec())).orElse(null),
                    canonical);
        });
    }

    /**
     * Typed credentials go into the vault bound to the destination's scope. A credential kept from
     * before that this form stored follows the destination when its host or bucket changes (the
     * administrator moved the destination; re-bound and audited as {@code secret.scope}).
     */
    private void storeCredentials(String name, DestinationSpec spec, Credentials credentials,
                                  Optional<DestinationSpec> before) {
        if (spec instanceof FolderDestinationSpec) {
            return;
        }
        String scope = SecretScope.of(spec);
        SecretVault vault = ctx.secrets().vault();
        Map<String, String> given = credentials.given();
        for (Map.Entry<String, String> e : given.entrySet()) {
            vault.set(secretName(name, e.getKey()), e.getValue(), scope, ctx.actor());
        }
        if (before.isEmpty() || before.get() instanceof FolderDestinationSpec || SecretScope.of(before.get()).equals(scope)) {
            return;
        }
        JsonNode kept = read(ContractCodec.writeDestination(spec));
        for (SecretVault.Entry entry : vault.list()) {
            for (String base : List.of("password", "private_key", "access_key_id", "secret_access_key")) {
                String own = secretName(name, base);
                if (!given.containsKey(base) && entry.name().equals(own)
                        && own.equals(kept.path(base + "_secret").asText(null))) {
                    vault.scope(own, scope, ctx.actor());
                }
            }
        }
    }

    /** Removes a destination no contract version names (older versions still verify and acknowledge through it). */
    public void remove(String name) {
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            DestinationRecord before = ctx.store().destinations().find(c, name).orElseThrow(() -> unknown(name));
            TreeSet<String> users = usedBy(c).get(name);
            if (users != null) {
                throw new EngineException("destination \"" + name + "\" is named by contract(s) "
                        + String.join(", ", users) + "; point them at another destination first");
            }
            ctx.store().destinations().delete(c, name);
            ctx.store().audit().append(c, now, ctx.actor(), "destination.remove", "destination " + name,
                    before.spec(), null);
        });
    }

    /** Probes the stored destination (write, read back, delete a file); audited as {@code destination.test}. */
    public DestinationProbe.Result test(String name, int probeBytes) {
        Definition d = find(name).orElseThrow(() -> unknown(name));
        return probe.test("destination " + name, d.spec(), probeBytes);
    }

    /** Destination name to the contracts whose versions name it, from the stored bodies. */
    private Map<String, TreeSet<String>> usedBy(Connection c) throws SQLException {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        for (ContractRecord contract : ctx.store().contracts().list(c)) {
            for (ContractVersion v : ctx.store().contracts().versions(c, contract.name())) {
                JsonNode dest = read(v.body()).path("destination");
                // "acme-sftp", or {"name": "acme-sftp", "path_template": …} with the contract's own layout
                JsonNode named = dest.isTextual() ? dest : dest.path("name");
                if (named.isTextual()) {
                    out.computeIfAbsent(named.asText(), k -> new TreeSet<>()).add(contract.name());
                }
            }
        }
        return out;
    }

    /**
     * A changed definition of the same type that names no credential for a field keeps the stored
     * reference ({@code destination set} without credential files, or JSON without them).
     */
    private static String keepCredentials(String specJson, DestinationSpec stored) {
        JsonNode node = read(specJson);
        JsonNode old = read(ContractCodec.writeDestination(stored));
        if (!(node instanceof ObjectNode obj) || !old.path("type").equals(node.path("type"))) {
            return specJson;
        }
        old.fields().forEachRemaining(e -> {
            String base = e.getKey().replaceAll("_(secret|env)$", "");
            if (!base.equals(e.getKey()) && !obj.has(base + "_secret") && !obj.has(base + "_env")) {
                obj.set(e.getKey(), e.getValue());
            }
        });
        return obj.toString();
    }

    /** The form's credentials become references to the vault entries they are stored under. */
    private static String withCredentials(String name, String specJson, Credentials credentials) {
        Map<String, String> given = credentials.given();
        if (given.isEmpty() || name == null || !NAME.matcher(name).matches()) {
            return specJson;
        }
        JsonNode node = read(specJson);
        if (!(node instanceof ObjectNode obj)) {
            return specJson;
        }
        for (String base : given.keySet()) {
            obj.remove(base + "_env");
            obj.put(base + "_secret", secretName(name, base));
        }
        return obj.toString();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return MAPPER.nullNode();
        }
    }

    private static String field(String path) {
        return path.equals("$") ? "destination" : path.startsWith("$.") ? path.substring(2) : path;
    }

    private static Definition definition(DestinationRecord r) {
        return new Definition(r.name(), ContractCodec.parseDestination(r.spec(), "destination " + r.name()),
                r.updatedBy(), r.updatedAt());
    }

    static EngineException unknown(String name) {
        return new EngineException("no destination named \"" + name + "\" (see `exportdesk destination list`)");
    }

    /** A definition that cannot be saved, with every problem as "field: message". */
    public static final class DestinationDefinitionException extends EngineException {
        private final List<String> problems;

        DestinationDefinitionException(String name, List<String> problems) {
            super("destination \"" + name + "\" is not valid:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
