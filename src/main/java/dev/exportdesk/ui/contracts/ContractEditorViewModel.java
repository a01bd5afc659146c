package dev.exportdesk.ui.contracts;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceCatalog;
import dev.exportdesk.ui.ConnectionTimeout;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The contract editor: one property per form field, every engine validation error routed to its
 * field by JSON path (the same errors {@code ContractCodec} and {@code ContractService} report),
 * save, schema preview and connection tests in the background.
 */
public final class ContractEditorViewModel {
    /**
     * One column of the chosen table, as the column picker shows it: {@code orderProblem} says why it
     * cannot be a key or cursor (null when it can), in the words a save would use.
     */
    public record PickColumn(String name, String type, boolean nullable, boolean primaryKey, String orderProblem,
                             boolean cursorCandidate) {
    }

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final Map<Field, StringProperty> fields = new EnumMap<>(Field.class);
    private final ObservableMap<Field, String> fieldErrors = FXCollections.observableHashMap();
    private final ObservableList<String> otherErrors = FXCollections.observableArrayList();
    private final ObservableList<PickColumn> schema = FXCollections.observableArrayList();
    private final ObservableList<String> tables = FXCollections.observableArrayList();
    private final ObservableList<String> sourceNames = FXCollections.observableArrayList();
    private final ObservableList<String> destinationNames = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper json = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper("");
    static final String INSECURE_HTTP = "Warning: this S3 destination uses plain http (allow_insecure_http): request "
            + "signatures and every chunk travel unencrypted. Use https outside a test setup.";
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final BooleanProperty editable = new SimpleBooleanProperty();
    private final ReadOnlyBooleanWrapper saved = new ReadOnlyBooleanWrapper(false);
    private String base;
    private Runnable onSaved = () -> { };

    public ContractEditorViewModel(GuardedEngine engine, TaskRunner tasks, String json) {
        this.engine = engine;
        this.tasks = tasks;
        this.base = json == null ? ContractForm.template() : json;
        this.editable.set(engine.can(Permission.EDIT_CONTRACTS));
        Map<Field, String> values = ContractForm.read(base);
        for (Field f : Field.values()) {
            StringProperty p = new SimpleStringProperty(values.get(f));
            p.addListener((obs, o, n) -> validate());
            fields.put(f, p);
        }
        title.set(title(values.get(Field.NAME)));
        validate();
        tasks.run(() -> engine.sourceConnections().sources().stream().map(dev.exportdesk.source.SourceConnection::name).toList(),
                sourceNames::setAll, e -> { });
        tasks.run(() -> engine.destinations().destinationUsage().stream().map(u -> u.destination().name()).toList(),
                destinationNames::setAll, e -> { });
    }

    /** "New contract" until one is stored, then the stored name (the name field may change before a save). */
    private String title(String name) {
        return name.isEmpty() ? "New contract" : "Contract " + name
                + (editable.get() ? "" : " (read-only for your role)");
    }

    /** The names of the source connections a contract may read (administrators define them). */
    public ObservableList<String> sourceNames() {
        return sourceNames;
    }

    /** The names of the destinations a contract may name (administrators define them). */
    public ObservableList<String> destinationNames() {
        return destinationNames;
    }

    /** Called on the UI thread after each successful save (the list refreshes). */
    public void setOnSaved(Runnable onSaved) {
        this.onSaved = onSaved;
    }

    public StringProperty field(Field f) {
        return fields.get(f);
    }

    /** Re-validates offline (pure, fast): the engine's structural errors, mapped to fields. */
    public void validate() {
        String text = currentJson();
        json.set(text);
        try {
            Contract c = engine.validateOffline(text, "contract");
            showErrors(List.of());
            warning.set(c.destination() instanceof S3DestinationSpec s3 && s3.insecureHttp() ? INSECURE_HTTP : "");
        } catch (ContractValidationException e) {
            showErrors(e.errors());
            warning.set("");
        }
    }

    /** A warning about a valid contract (plain-http S3), empty when there is none. */
    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    private void showErrors(List<ValidationError> errors) {
        Map<Field, String> byField = new EnumMap<>(Field.class);
        List<String> other = new ArrayList<>();
        for (ValidationError e : errors) {
            Field f = Field.forPath(e.path());
            if (f == null) {
                other.add(e.path() + ": " + e.message());
            } else {
                byField.merge(f, e.path() + ": " + e.message(), (a, b) -> a + "\n" + b);
            }
        }
        fieldErrors.keySet().retainAll(byField.keySet());
        fieldErrors.putAll(byField);
        otherErrors.setAll(other);
        valid.set(errors.isEmpty());
    }

    public String currentJson() {
        Map<Field, String> values = new EnumMap<>(Field.class);
        fields.forEach((f, p) -> values.put(f, p.get()));
        return ContractForm.write(base, values);
    }

    /** Validates against the live source and stores a new version (steward/admin only). */
    public void save() {
        String text = currentJson();
        busy.set(true);
        message.set("Checking the contract against the source…");
        tasks.run(() -> engine.importContract(text, "contract editor"), r -> {
            busy.set(false);
            base = text;
            saved.set(true);
            title.set(title(r.version().contractName()));
            onSaved.run();
            message.set(r.changed() ? "Saved " + r.version().contractName() + " as version " + r.version().version()
                    : "No change: version " + r.version().version() + " is identical.");
        }, e -> {
            busy.set(false);
            if (e instanceof ContractValidationException v) {
                showErrors(v.errors());
            }
            message.set("Not saved. " + ErrorText.summary(e));
        });
    }

    /** Validates the whole contract against the live source (audited), then lists the table's columns. */
    public void previewSchema() {
        String text = currentJson();
        withTimeout("Reading the source schema…", () -> engine.previewSchema(text, "contract editor"), s -> {
            message.set(s.columns().size() + " columns, schema fingerprint " + s.fingerprint().substring(0, 12));
            loadColumns();
        });
    }

    /** The chosen source connection's tables and views, for the table picker (metadata only). */
    public void loadTables() {
        String source = fields.get(Field.SOURCE).get().trim();
        if (source.isEmpty()) {
            message.set("Choose a source connection first.");
            return;
        }
        withTimeout("Listing the tables of " + source + "…", () -> engine.sourceConnections().tables(source), t -> {
            tables.setAll(t);
            message.set(t.size() + " tables and views on " + source + (t.size() >= SourceCatalog.MAX_TABLES
                    ? " (the first " + SourceCatalog.MAX_TABLES + "; type the name if yours is not listed)" : ""));
        });
    }

    private static final java.util.regex.Pattern CHANGE_STAMP = java.util.regex.Pattern.compile(
            "(?i)(updated|modified|changed)");

    /**
     * The chosen table's columns, for the column picker. A contract without key columns takes the
     * primary key, and one without a cursor takes the only date/time column that can be one (of
     * several, the only one named for changes: updated_at, last_modified…): both said in the
     * message, and both changed with a click.
     */
    public void loadColumns() {
        String source = fields.get(Field.SOURCE).get().trim();
        String table = fields.get(Field.TABLE).get().trim();
        if (source.isEmpty() || table.isEmpty()) {
            message.set("Choose a source connection and a table first.");
            return;
        }
        withTimeout("Reading the columns of " + table + "…", () -> engine.sourceConnections().describeTable(source, table),
                shape -> {
                    schema.setAll(shape.columns().stream().map(c -> new PickColumn(c.name(), c.typeName(), c.nullable(),
                            shape.primaryKey().contains(c.name()), SourceCatalog.TableShape.orderProblem(c),
                            SourceCatalog.TableShape.cursorCandidate(c))).toList());
                    List<String> filled = new ArrayList<>();
                    if (listOf(Field.KEY_COLUMNS).isEmpty() && !shape.primaryKey().isEmpty()) {
                        fields.get(Field.KEY_COLUMNS).set(String.join(", ", shape.primaryKey()));
                        filled.add("key columns from the primary key");
                    }
                    List<String> times = schema.stream().filter(c -> c.cursorCandidate() && !c.primaryKey()
                            && shape.columns().stream().anyMatch(x -> x.name().equals(c.name()) && x.kind().temporal()))
                            .map(PickColumn::name).toList();
                    if (times.size() > 1) {
                        // several dates: the one named for changes is the usual cursor (ordered_at is not)
                        times = times.stream().filter(n -> CHANGE_STAMP.matcher(n).find()).toList();
                    }
                    if (listOf(Field.CURSOR_COLUMNS).isEmpty() && times.size() == 1) {
                        fields.get(Field.CURSOR_COLUMNS).set(times.get(0));
                        filled.add("cursor " + times.get(0));
                    }
                    message.set(shape.columns().size() + " columns in " + table + (filled.isEmpty() ? ""
                            : "; set " + String.join(" and ", filled) + " (change them below)"));
                });
    }

    private List<String> listOf(Field f) {
        return Arrays.stream(fields.get(f).get().split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * A column as the form already spells it (the engine matches names exactly first, and a
     * contract must list its key and cursor columns among its columns in one spelling): H2 reports
     * ID where a steward typed id.
     */
    private String spelling(String column) {
        for (Field f : new Field[] {Field.KEY_COLUMNS, Field.CURSOR_COLUMNS, Field.COLUMNS}) {
            for (String n : listOf(f)) {
                if (n.equalsIgnoreCase(column)) {
                    return n;
                }
            }
        }
        return column;
    }

    private static boolean holds(List<String> names, String name) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    /** Exported: every column while the columns field is empty ("all"), else the ones it lists. */
    public boolean exported(String column) {
        List<String> cols = listOf(Field.COLUMNS);
        return cols.isEmpty() || holds(cols, column);
    }

    public boolean key(String column) {
        return holds(listOf(Field.KEY_COLUMNS), column);
    }

    public boolean cursor(String column) {
        return holds(listOf(Field.CURSOR_COLUMNS), column);
    }

    /** Exports the column or not; keys and cursors are always exported, so they cannot be left out. */
    public void setExported(String column, boolean on) {
        if (!on && (key(column) || cursor(column))) {
            message.set(column + " is a key or cursor column, which every exported row carries.");
            return;
        }
        List<String> chosen = schema.stream().map(PickColumn::name).filter(c -> c.equals(column) ? on : exported(c))
                .map(this::spelling).toList();
        fields.get(Field.COLUMNS).set(chosen.size() == schema.size() ? "" : String.join(", ", chosen));
    }

    public void setKey(String column, boolean on) {
        pick(Field.KEY_COLUMNS, Field.CURSOR_COLUMNS, column, on);
    }

    public void setCursor(String column, boolean on) {
        pick(Field.CURSOR_COLUMNS, Field.KEY_COLUMNS, column, on);
    }

    /** Adds or removes a key or cursor column in table order; a column is one or the other, and exported. */
    private void pick(Field field, Field other, String column, boolean on) {
        PickColumn c = schema.stream().filter(x -> x.name().equals(column)).findFirst().orElse(null);
        if (on && c != null && c.orderProblem() != null) {
            message.set(column + " cannot be a key or cursor column: " + c.orderProblem());
            return;
        }
        List<String> mine = listOf(field);
        List<String> chosen = schema.stream().map(PickColumn::name)
                .filter(n -> n.equals(column) ? on : holds(mine, n)).map(this::spelling).toList();
        fields.get(field).set(String.join(", ", chosen));
        if (on) {
            fields.get(other).set(String.join(", ", listOf(other).stream().filter(n -> !n.equalsIgnoreCase(column))
                    .toList()));
            if (!exported(column)) {
                setExported(column, true);
            }
        }
    }

    public void testSource() {
        String text = currentJson();
        withTimeout("Connecting to the source…", () -> engine.testSource(text, "contract editor"),
                r -> message.set("Source reachable: " + r));
    }

    public void testDestination() {
        String text = currentJson();
        withTimeout("Opening the destination…", () -> engine.testDestination(text, "contract editor"),
                r -> message.set("Destination reachable: " + r));
    }

    private <T> void withTimeout(String what, java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> ok) {
        busy.set(true);
        message.set(what);
        tasks.run(() -> ConnectionTimeout.call(work), r -> {
            busy.set(false);
            ok.accept(r);
        }, e -> {
            busy.set(false);
            message.set(ErrorText.summary(e));
        });
    }

    public ObservableMap<Field, String> fieldErrors() {
        return fieldErrors;
    }

    public ObservableList<String> otherErrors() {
        return otherErrors;
    }

    /** The chosen table's columns, once loaded. */
    public ObservableList<PickColumn> schema() {
        return schema;
    }

    /** The chosen source's tables, once listed. */
    public ObservableList<String> tables() {
        return tables;
    }

    public ReadOnlyStringProperty jsonProperty() {
        return json.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savedProperty() {
        return saved.getReadOnlyProperty();
    }

    public BooleanProperty editableProperty() {
        return editable;
    }
}
