package dev.exportdesk.ui.audit;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The contract report dialog: the auditor report of one contract's runs finished between two
 * dates (UTC, both days included), as PDF, CSV or JSON, written in the background through the
 * guard (VERIFY permission, audited as {@code report.export}). The same report as
 * {@code exportdesk report --contract C --from F --to T}, except that "to" here includes its day.
 */
public final class ContractReportViewModel {
    public static final List<String> FORMATS = List.of("PDF", "CSV", "JSON");
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final ObservableList<String> contracts = FXCollections.observableArrayList();
    private final ObjectProperty<String> contract = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>();
    private final ObjectProperty<String> format = new SimpleObjectProperty<>("PDF");
    private final StringProperty output = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper allowed = new ReadOnlyBooleanWrapper();
    private final BooleanBinding canExport;

    public ContractReportViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        allowed.set(engine.can(Permission.VERIFY));
        LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
        to.set(today);
        from.set(today.minusDays(30));
        problem.bind(Bindings.createStringBinding(this::validate, contract, from, to, output, allowed));
        canExport = problem.isEmpty().and(busy.not());
        format.addListener((o, a, f) -> output.set(withExtension(output.get(), f)));
    }

    /** Lists the contracts to choose from, in the background. */
    public void load() {
        tasks.run(engine::contracts, list -> {
            contracts.setAll(list.stream().map(ContractRecord::name).sorted().toList());
            if (contract.get() == null && !contracts.isEmpty()) {
                contract.set(contracts.get(0));
            }
        }, e -> status.set("Could not list the contracts: " + ErrorText.summary(e)));
    }

    private String validate() {
        if (!allowed.get()) {
            return "Your role does not allow exporting reports (auditors and admins may).";
        }
        if (contract.get() == null) {
            return "Choose a contract.";
        }
        if (from.get() != null && to.get() != null && from.get().isAfter(to.get())) {
            return "\"From\" is after \"to\": the range would hold no runs.";
        }
        if (output.get() == null || output.get().isBlank()) {
            return "Choose where to write the report.";
        }
        return "";
    }

    /** Asks for the output file; its extension picks the format when it names one. */
    public void chooseOutput() {
        String initial = (contract.get() == null ? "contract" : contract.get()) + "-report-"
                + (from.get() == null ? "start" : from.get()) + "-to-" + (to.get() == null ? "now" : to.get()) + "."
                + format.get().toLowerCase(Locale.ROOT);
        dialogs.chooseFileToSave("Write the contract report", initial).ifPresent(path -> {
            String name = path.getFileName().toString().toUpperCase(Locale.ROOT);
            FORMATS.stream().filter(f -> name.endsWith("." + f)).findFirst().ifPresent(format::set);
            output.set(withExtension(path.toString(), format.get()));
        });
    }

    /** Writes the report in the background; the dialog stays open and says what was written. */
    public void export() {
        if (!canExport.get()) {
            return;
        }
        String name = contract.get();
        // runs finished on the "to" day count: the range ends at the start of the next day (exclusive)
        Instant start = from.get() == null ? null : from.get().atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = to.get() == null ? null : to.get().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String fmt = format.get().toLowerCase(Locale.ROOT);
        Path out = Path.of(output.get().trim());
        busy.set(true);
        status.set("Writing the report…");
        tasks.submit("Report " + name, p -> engine.ledger().writeContractReport(name, start, end, fmt, out), written -> {
            busy.set(false);
            status.set("Written: " + written.file() + " · " + written.runs() + " run(s), " + written.chunks()
                    + " chunk(s)" + (written.runs() == 0 ? " · no run of " + name + " finished in that range" : ""));
            dialogs.notify(written.runs() == 0 ? DialogService.Severity.WARNING : DialogService.Severity.INFO,
                    "Report written", written.file().toString());
        }, e -> {
            busy.set(false);
            status.set("The report was not written: " + ErrorText.summary(e));
            dialogs.showError("The report could not be written", e);
        });
    }

    static String withExtension(String path, String format) {
        if (path == null || path.isBlank()) {
            return path;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        for (String f : FORMATS) {
            if (lower.endsWith("." + f.toLowerCase(Locale.ROOT))) {
                return path.substring(0, path.length() - f.length()) + format.toLowerCase(Locale.ROOT);
            }
        }
        return path + "." + format.toLowerCase(Locale.ROOT);
    }

    public ObservableList<String> contracts() {
        return contracts;
    }

    public ObjectProperty<String> contractProperty() {
        return contract;
    }

    public ObjectProperty<LocalDate> fromProperty() {
        return from;
    }

    public ObjectProperty<LocalDate> toProperty() {
        return to;
    }

    public ObjectProperty<String> formatProperty() {
        return format;
    }

    public StringProperty outputProperty() {
        return output;
    }

    /** Why Export is disabled, in words; empty when the form is complete. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canExportBinding() {
        return canExport;
    }
}
