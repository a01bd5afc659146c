package dev.exportdesk.access;

import dev.exportdesk.engine.SourceService;
import dev.exportdesk.source.SourceCatalog;
import dev.exportdesk.source.SourceConnection;
import java.util.List;

/** Source connections, for one signed-in user: everyone who reads sees them, administrators change them. */
public final class SourcesGuard {
    private final Session checks;
    private final SourceService sources;

    SourcesGuard(Session checks, SourceService sources) {
        this.checks = checks;
        this.sources = sources;
    }

    /** The connections contracts may name; everyone who reads contracts sees them (no credential is in one). */
    public List<SourceConnection> sources() {
        checks.require(Permission.READ, "list source connections");
        return sources.list();
    }

    /** Each connection with the contracts naming it, for the console's Sources screen (everyone who reads). */
    public List<SourceService.Usage> sourceUsage() {
        checks.require(Permission.READ, "list source connections");
        return sources.usage();
    }

    /**
     * Why {@code source} could not be saved, as "field: message" (empty when it can), checked as an
     * administrator types; opens no connection.
     */
    public List<String> sourceProblems(SourceConnection source) {
        checks.require(Permission.MANAGE_SOURCES, "check source connection " + source.name());
        return sources.problems(source);
    }

    /**
     * Opens a read-only session on {@code source}, stored or not yet, and names the database (call
     * off the UI thread); audited as {@code source.test}. Administrators only: where the engine
     * connects, and as whom, is theirs to try.
     */
    public String testSourceConnection(SourceConnection source) {
        checks.require(Permission.MANAGE_SOURCES, "test source connection " + source.name());
        return sources.test(source);
    }

    /**
     * The tables and views of a connection, for setting up a contract from the source's schema:
     * stewards and administrators (they write contracts); metadata only, no row is read.
     */
    public List<String> tables(String source) {
        checks.require(Permission.EDIT_CONTRACTS, "browse the tables of source " + source);
        return sources.tables(source);
    }

    /** A table's columns and primary key, for the contract editor's column picker (metadata only). */
    public SourceCatalog.TableShape describeTable(String source, String table) {
        checks.require(Permission.EDIT_CONTRACTS, "read the columns of " + table + " on source " + source);
        return sources.describe(source, table);
    }

    public void addSource(SourceConnection source) {
        checks.require(Permission.MANAGE_SOURCES, "add source connection " + source.name());
        sources.add(source);
    }

    public void changeSource(SourceConnection source) {
        checks.require(Permission.MANAGE_SOURCES, "change source connection " + source.name());
        sources.change(source);
    }

    public void removeSource(String name) {
        checks.require(Permission.MANAGE_SOURCES, "remove source connection " + name);
        sources.remove(name);
    }
}
