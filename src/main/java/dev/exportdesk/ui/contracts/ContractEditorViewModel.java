package dev.exportdesk.ui.contracts;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.S3DestinationSpec;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceSchema;
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
    /** One column of the source as the contract would read it. */
    public record SchemaColumn(String name, String type, boolean nullable, boolean key, boolean cursorCandidate) {
    }

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final Map<Field, StringProperty> fields = new EnumMap<>(Field.class);
    private final ObservableMap<Field, String> fieldErrors = FXCollections.observableHashMap();
    private final ObservableList<String> otherErrors = FXCollections.observableArrayList();
    private final ObservableList<SchemaColumn> schema = FXCollections.observableArrayList();
    private final ObservableList<String> sourceNames = FXCollections.observableArrayList();
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

    public void previewSchema() {
        String text = currentJson();
        withTimeout("Reading the source schema…", () -> engine.previewSchema(text, "contract editor"), s -> {
            schema.setAll(columns(s));
            message.set(s.columns().size() + " columns, schema fingerprint " + s.fingerprint().substring(0, 12));
        });
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

    private static List<SchemaColumn> columns(SourceSchema s) {
        List<Integer> keys = Arrays.stream(s.keyIndexes()).boxed().toList();
        List<SchemaColumn> out = new ArrayList<>();
        for (int i = 0; i < s.columns().size(); i++) {
            ColumnInfo c = s.columns().get(i);
            boolean candidate = c.kind().temporal() || c.kind() == dev.exportdesk.source.ValueKind.INTEGER;
            out.add(new SchemaColumn(c.name(), c.typeName(), c.nullable(), keys.contains(i), candidate));
        }
        return out;
    }

    public ObservableMap<Field, String> fieldErrors() {
        return fieldErrors;
    }

    public ObservableList<String> otherErrors() {
        return otherErrors;
    }

    public ObservableList<SchemaColumn> schema() {
        return schema;
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
