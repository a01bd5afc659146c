package dev.exportdesk.engine;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.AlertSpec;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.NamedDestinationSpec;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.contract.VerificationSchedule;
import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService;
import dev.exportdesk.source.SchemaColumns;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SchemaMismatchException;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.AlertEndpointRepository;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Import, validate, list and export contracts. Validation is structural (every error with its JSON
 * path) and, unless offline, against the live source's metadata; an invalid contract is never
 * stored. Re-importing an unchanged contract adds no version.
 */
public final class ContractService {
    private final EngineContext ctx;
    private final SchemaInspector inspector = new SchemaInspector();
    private final SourceService sources;
    private final DestinationService destinations;
    private final BooleanSupplier mayDefineSources;

    /** {@code mayDefineSources}: asked at each import whether the acting user administers sources. */
    public ContractService(EngineContext ctx, BooleanSupplier mayDefineSources) {
        this.ctx = ctx;
        this.sources = new SourceService(ctx);
        this.destinations = new DestinationService(ctx, new DestinationProbe(ctx, this));
        this.mayDefineSources = mayDefineSources;
    }

    /** The outcome of a successful validation: the contract and, when checked, the source schema. */
    public record Validated(Contract contract, Optional<SourceSchema> schema) {
    }

    public record ImportResult(ContractVersion version, boolean changed) {
    }

    public Validated validate(String json, String origin, boolean offline) {
        Contract contract = ContractCodec.parse(json, origin);
        if (offline) {
            // structural only, no store or source access (the console validates as a steward types)
            if (contract.source().inline()) {
                requireAllowed(inline(contract), origin);
            }
            return new Validated(contract, Optional.empty());
        }
        requireAllowedAlerts(json, origin);
        SourceConnection connection = source(contract, origin);
        try (Connection source = ctx.sources().open(connection)) {
            return new Validated(contract, Optional.of(inspector.inspect(source, contract)));
        } catch (SchemaMismatchException e) {
            List<ValidationError> errors = new ArrayList<>();
            if (e.problems().isEmpty()) {
                errors.add(new ValidationError(contract.table() != null ? "$.table" : "$.query", e.getMessage()));
            }
            for (String p : e.problems()) {
                int colon = p.indexOf(':');
                String field = colon > 0 ? p.substring(0, colon) : "source";
                errors.add(new ValidationError("$." + field, colon > 0 ? p.substring(colon + 1).trim() : p));
            }
            throw new ContractValidationException(origin, errors);
        } catch (SQLException e) {
            throw new SourceException("closing the source connection failed: " + e.getMessage(), e);
        }
    }

    public ImportResult importContract(String json, String origin, boolean offline) {
        return importAll(List.of(new Input(json, origin)), offline).get(0);
    }

    /** One contract document and where it came from (a file name), for {@link #importAll}. */
    public record Input(String json, String origin) {
    }

    /**
     * Imports several contracts all or nothing: every document is validated before anything is
     * stored (the first invalid one is thrown), then all are stored in one transaction.
     */
    public List<ImportResult> importAll(List<Input> inputs, boolean offline) {
        List<Prepared> prepared = new ArrayList<>();
        for (Input in : inputs) {
            prepared.add(prepare(in.json(), in.origin(), offline));
        }
        Instant now = ctx.clock().instant();
        return ctx.store().inDurableTransaction(conn -> {
            List<ImportResult> results = new ArrayList<>();
            for (Prepared p : prepared) {
                results.add(store(conn, p, now));
            }
            return results;
        });
    }

    private record Prepared(Contract contract, String body, String sha, String fingerprint, String columns) {
    }

    private Prepared prepare(String json, String origin, boolean offline) {
        Validated v = validate(json, origin, offline);
        if (offline) {
            source(v.contract(), origin);
        }
        if (v.contract().destination() instanceof NamedDestinationSpec named && destinations.find(named.name()).isEmpty()) {
            throw invalid(origin, "$.destination", "no destination named \"" + named.name() + "\"; an administrator "
                    + "adds it with `exportdesk destination add` or on the Destinations screen");
        }
        // OpenPGP keys against the clock, and our signing key from the vault (unlocked in memory, then dropped)
        ChunkCipher.check(v.contract(), origin, ctx.secrets().openPgp(v.contract().partner()), ctx.clock().instant());
        // the partner's pseudonym key: named by the steward, read here only to see it exists and is long enough
        RowMask.check(v.contract(), origin, ctx.secrets().masking(v.contract().partner()));
        Optional<AlertSpec> alerts = requireAllowedAlerts(json, origin);
        // the stored body keeps the periodic verification and the alerts too: verify --due, the console and
        // the alerting read them there
        String body = ContractCodec.write(v.contract(), VerificationSchedule.of(json).orElse(null),
                alerts.orElse(null));
        return new Prepared(v.contract(), body, Hashing.sha256Hex(body.getBytes(StandardCharsets.UTF_8)),
                v.schema().map(SourceSchema::fingerprint).orElse(null),
                v.schema().map(s -> SchemaColumns.write(s.columns())).orElse(null));
    }

    private ImportResult store(Connection conn, Prepared p, Instant now) throws SQLException {
        Contract c = p.contract();
        Optional<ContractRecord> existing = ctx.store().contracts().find(conn, c.name());
        Optional<ContractVersion> current = existing.isEmpty() ? Optional.empty()
                : ctx.store().contracts().version(conn, c.name(), existing.get().currentVersion());
        if (current.isPresent() && current.get().bodySha256().equals(p.sha())
                && (p.fingerprint() == null || p.fingerprint().equals(current.get().schemaFingerprint()))) {
            return new ImportResult(current.get(), false);
        }
        ctx.store().contracts().upsertPartner(conn, c.partner(), now);
        if (ctx.store().sources().find(conn, c.source().name()).isEmpty()) {
            // source(...) allowed it: an administrator's inline definition becomes the connection
            sources.insert(conn, inline(c), now);
        }
        ContractVersion added = ctx.store().contracts().addVersion(conn, c.name(), c.partner(), c.source().name(),
                p.body(), p.sha(), p.fingerprint(), p.columns(), ctx.actor(), now);
        ctx.store().audit().append(conn, now, ctx.actor(), "contract.import", c.name() + " v" + added.version(),
                current.map(ContractVersion::body).orElse(null), p.body());
        return new ImportResult(added, true);
    }

    /**
     * The connection a contract reads through. A named one must exist. An inline definition (the
     * form before named connections) must match the connection of that name, or, where none exists,
     * is one only an administrator may create; it passes the URL policy before anything opens it.
     */
    private SourceConnection source(Contract c, String origin) {
        Optional<SourceConnection> stored = sources.find(c.source().name());
        if (!c.source().inline()) {
            return stored.orElseThrow(() -> invalid(origin, "$.source", "no source connection named \""
                    + c.source().name() + "\"; an administrator adds it with `exportdesk source add`"));
        }
        SourceConnection given = inline(c);
        if (stored.isPresent()) {
            if (!stored.get().sameDefinition(given)) {
                throw invalid(origin, "$.source", "source connection \"" + given.name() + "\" exists with another "
                        + "definition; name it (\"source\": \"" + given.name() + "\") and leave connections to "
                        + "administrators (`exportdesk source set`)");
            }
            return stored.get();
        }
        if (!mayDefineSources.getAsBoolean()) {
            throw invalid(origin, "$.source", "no source connection named \"" + given.name() + "\"; only an "
                    + "administrator can add one");
        }
        requireAllowed(given, origin);
        return given;
    }

    private void requireAllowed(SourceConnection given, String origin) {
        List<String> problems = sources.problems(given);
        if (!problems.isEmpty()) {
            List<ValidationError> errors = new ArrayList<>();
            for (String p : problems) {
                int colon = p.indexOf(':');
                errors.add(new ValidationError("$.source." + p.substring(0, colon), p.substring(colon + 1).trim()));
            }
            throw new ContractValidationException(origin, errors);
        }
    }

    /**
     * A contract's webhook must be on the administrators' list of alert endpoints: stewards write
     * contracts, and an arbitrary URL would make this host send requests wherever they like.
     */
    private Optional<AlertSpec> requireAllowedAlerts(String json, String origin) {
        Optional<AlertSpec> alerts = AlertSpec.of(json);
        if (alerts.isPresent() && alerts.get().webhook() != null) {
            String url = alerts.get().webhook().toString();
            if (!ctx.store().inTransaction(c -> new AlertEndpointRepository().allowed(c, url))) {
                throw invalid(origin, "$.alerts.webhook.url", "\"" + url + "\" is not an allowed alert endpoint; an "
                        + "administrator allows it with `exportdesk alerts allow " + url + "`");
            }
        }
        return alerts;
    }

    private static SourceConnection inline(Contract c) {
        return new SourceConnection(c.source().name(), c.source().jdbcUrl(), c.source().user(), c.source().userEnv(),
                c.source().passwordEnv());
    }

    private static ContractValidationException invalid(String origin, String path, String message) {
        return new ContractValidationException(origin, List.of(new ValidationError(path, message)));
    }

    public List<ContractRecord> list() {
        return ctx.store().inTransaction(conn -> ctx.store().contracts().list(conn));
    }

    public List<ContractVersion> history(String name) {
        List<ContractVersion> versions = ctx.store().inTransaction(conn -> ctx.store().contracts().versions(conn, name));
        if (versions.isEmpty()) {
            throw unknown(name);
        }
        return versions;
    }

    /** The stored body of a version (current when {@code version} is empty). */
    public ContractVersion export(String name, Optional<Integer> version) {
        return ctx.store().inTransaction(conn -> {
            ContractRecord record = ctx.store().contracts().find(conn, name).orElseThrow(() -> unknown(name));
            int wanted = version.orElse(record.currentVersion());
            return ctx.store().contracts().version(conn, name, wanted)
                    .orElseThrow(() -> new EngineException("contract \"" + name + "\" has no version " + wanted
                            + " (it has 1 to " + record.currentVersion() + ")"));
        });
    }

    /** The parsed current version of a contract. */
    public LoadedContract load(String name) {
        return resolved(export(name, Optional.empty()));
    }

    public LoadedContract load(String name, int version) {
        return resolved(export(name, Optional.of(version)));
    }

    /** {@code c} with a named destination replaced by its current definition (the editor's Test destination). */
    public Contract resolveDestination(Contract c, String origin) {
        return c.destination() instanceof NamedDestinationSpec named
                ? c.withDestination(destinations.resolve(named, origin)) : c;
    }

    /**
     * A version as the engine uses it: a named destination replaced by its current definition, so a
     * run (or a verification, or a receipt check) goes where the administrator points it now.
     */
    private LoadedContract resolved(ContractVersion v) {
        String origin = "contract " + v.contractName() + " v" + v.version();
        return new LoadedContract(resolveDestination(ContractCodec.parse(v.body(), origin), origin), v);
    }

    public static EngineException unknown(String name) {
        return new EngineException("no contract named \"" + name + "\" (see `exportdesk contract list`)");
    }

    /** A stored contract version, parsed. */
    public record LoadedContract(Contract contract, ContractVersion version) {
    }
}
