package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.SchemaChangeNotice;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SchemaColumns;
import dev.exportdesk.source.SchemaGrowth;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.StoreException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run of an {@code "schema_change": "additive"} contract found its table grown by nullable
 * columns (docs/contracts.md, "Schema changes"). The change is taken at a run's start, never inside
 * a chunk: in one transaction the engine adds a contract version (same body, the grown schema's
 * fingerprint, the notice), audited {@code contract.schema-additive}; a run that has sealed nothing
 * moves to it and reads the new columns, while a run that has sealed chunks finishes with the
 * columns it began with (still there, unchanged) so no run mixes two schemas — the next run takes
 * the new version.
 */
final class AdditiveSchema {
    static final String AUDIT_ACTION = "contract.schema-additive";
    private static final Logger LOG = LoggerFactory.getLogger(AdditiveSchema.class);

    /** What the run reads from here on; an empty schema when it must stop (the reason in {@code refusal}). */
    record Taken(RunRecord run, SourceSchema schema, String refusal) {
    }

    private AdditiveSchema() {
    }

    static Taken take(EngineContext ctx, RunRecord run, ContractService.LoadedContract loaded, SourceSchema now,
                      SchemaGrowth growth, String expected) {
        return ctx.store().inDurableTransaction(c -> {
            ContractRecord contract = ctx.store().contracts().find(c, run.contractName()).orElseThrow();
            ContractVersion current = ctx.store().contracts().version(c, run.contractName(),
                    contract.currentVersion()).orElseThrow();
            ContractVersion target = null; // stays null when a steward's newer version exists: theirs decides
            if (now.fingerprint().equals(current.schemaFingerprint())
                    && current.bodySha256().equals(loaded.version().bodySha256())) {
                target = current; // an earlier attempt, or another worker's run, took it already
            } else if (current.version() == run.contractVersion()) {
                target = addVersion(ctx, c, run, contract, current, now, growth, expected);
            }
            boolean anySealed = ctx.store().chunks().forRun(c, run.id()).stream().anyMatch(ch -> ch.state().sealed());
            if (anySealed) {
                // its columns are all still there, unchanged: it ends as it began, whatever version comes next
                LOG.info("run {} has sealed chunks under v{}: it finishes with those columns; the next run reads "
                        + "the added ones", run.sequence(), run.contractVersion());
                return new Taken(run, growth.before(), null);
            }
            if (target == null) {
                return new Taken(run, null, "schema drift: the source's table gained column(s) " + names(growth.added())
                        + ", but contract \"" + run.contractName() + "\" has a newer version v" + current.version()
                        + " than this run's v" + run.contractVersion() + "; resume the run to take it");
            }
            if (run.contractVersion() != target.version()) {
                ctx.store().runs().rebind(c, run.id(), target.version(), now.fingerprint());
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.rebind", run.contractName() + " run "
                        + run.sequence(), "v" + run.contractVersion(), "v" + target.version());
            }
            return new Taken(ctx.store().runs().find(c, run.id()).orElseThrow(), now, null);
        });
    }

    /** Version N+1 of {@code current}: its body, the grown schema, the notice; audited. */
    private static ContractVersion addVersion(EngineContext ctx, Connection c, RunRecord run, ContractRecord contract,
                                              ContractVersion current, SourceSchema now, SchemaGrowth growth,
                                              String expected) throws SQLException {
        SchemaChangeNotice notice = new SchemaChangeNotice(current.version(), expected, now.fingerprint(),
                growth.added().stream().map(AdditiveSchema::column).toList());
        ContractVersion added = ctx.store().contracts().addSchemaVersion(c, current, contract.partner(),
                contract.sourceName(), now.fingerprint(), SchemaColumns.write(now.columns()), notice.toJson(),
                ctx.actor(), ctx.now());
        ctx.store().audit().append(c, ctx.now(), ctx.actor(), AUDIT_ACTION, run.contractName() + " v"
                + added.version(), "v" + current.version(), "added nullable column(s) " + names(growth.added())
                + " found by run " + run.sequence() + "; " + notice.toJson());
        LOG.info("{}: the source's table gained nullable column(s) {}; contract version {} takes them",
                run.contractName(), names(growth.added()), added.version());
        return added;
    }

    /** The notices of the versions after {@code since} up to {@code upTo} (a partner's copy may have skipped some). */
    static Optional<SchemaChangeNotice> since(EngineContext ctx, String contract, int since, int upTo) {
        List<SchemaChangeNotice> notices = ctx.store().inTransaction(c -> ctx.store().contracts().versions(c, contract))
                .stream().filter(v -> v.version() > since && v.version() <= upTo && v.schemaChange() != null)
                .map(AdditiveSchema::notice).toList();
        return notices.isEmpty() ? Optional.empty() : Optional.of(SchemaChangeNotice.merge(notices));
    }

    private static SchemaChangeNotice notice(ContractVersion v) {
        try {
            return SchemaChangeNotice.parse(v.schemaChange());
        } catch (IOException e) {
            throw new StoreException("contract \"" + v.contractName() + "\" v"
                    + v.version() + ": " + e.getMessage());
        }
    }

    private static SchemaChangeNotice.Column column(ColumnInfo c) {
        return new SchemaChangeNotice.Column(c.outputName(), c.typeName() == null ? c.kind().name() : c.typeName());
    }

    static String names(List<ColumnInfo> columns) {
        return String.join(", ", columns.stream().map(c -> "\"" + c.outputName() + "\"").toList());
    }

    /** Whether {@code growth} (empty: the columns did not only grow) is what the additive policy takes. */
    static boolean takeable(Optional<SchemaGrowth> growth) {
        return growth.isPresent() && growth.get().notNull().isEmpty();
    }

    /** The change in words, from the fingerprint alone (when the version's columns are not known). */
    static String describe(Optional<SchemaGrowth> growth) {
        if (growth.isEmpty()) {
            return "not only columns added at the end (a column dropped, renamed, retyped or moved)";
        }
        List<ColumnInfo> notNull = growth.get().notNull();
        return notNull.isEmpty() ? "nullable column(s) " + names(growth.get().added()) + " added"
                : "column(s) " + names(notNull) + " added NOT NULL";
    }
}
