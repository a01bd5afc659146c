package dev.exportdesk.ui.runs;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.contract.FolderDestinationSpec;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.StorePoll;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * One run's chunks. Loads page by page in the background and appends, so a run with 100,000 chunks
 * shows its first rows at once; while the run progresses only the tail is re-read, never the whole
 * table. Filters: mismatches only, state, free-text search.
 */
public final class RunDetailViewModel implements RunEvents.Listener {
    /** A small first page paints at once; later pages are larger to finish sooner. */
    public static final int FIRST_PAGE = 200;
    public static final int PAGE = 2_500;
    public static final String ANY_STATE = "all states";
    /** Differing keys shown for one chunk; the report lists all of them. */
    public static final int MAX_KEYS = 200;

    private final ConsoleContext context;
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final RunEvents events;
    private final Executor uiThread;
    private final String runId;
    private final StorePoll poll;
    private final ChunkRows chunks = new ChunkRows();
    private final FilteredList<ChunkRow> visible = new FilteredList<>(chunks.list(), c -> true);
    private final ReadOnlyObjectWrapper<RunRecord> run = new ReadOnlyObjectWrapper<>();
    private final BooleanProperty mismatchesOnly = new SimpleBooleanProperty(false);
    private final ObjectProperty<String> stateFilter = new SimpleObjectProperty<>(ANY_STATE);
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("Loading…");
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canVerify = new ReadOnlyBooleanWrapper();
    private final AtomicBoolean tailLoading = new AtomicBoolean();
    /** Which load is current (see {@link #reload}); pages of an earlier one are dropped. */
    private final AtomicLong generation = new AtomicLong();
    private final Queue<Arrived> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final DeepVerifyTask deep;
    private final ReadOnlyObjectWrapper<ChunkRow> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
    private String chunkDetail = "";
    private final ObservableList<ChunkPageQuery.DifferingKey> differingKeys = FXCollections.observableArrayList();
    private final ObservableList<ChunkPageQuery.DifferingKey> differingKeysView =
            FXCollections.unmodifiableObservableList(differingKeys);
    private final ReadOnlyBooleanWrapper correctionRun = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<CorrectionRepository.CorrectedBy> correctedBy = FXCollections.observableArrayList();
    private final ObservableList<CorrectionRepository.CorrectedBy> correctedByView =
            FXCollections.unmodifiableObservableList(correctedBy);
    private long selectionGeneration;
    private Runnable unsubscribe;
    private long loadStartedNanos;
    private long firstPageNanos = -1;
    private long fullLoadNanos = -1;

    public RunDetailViewModel(ConsoleContext context, String runId) {
        this.context = context;
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.events = context.events();
        this.uiThread = context.uiThread();
        this.runId = runId;
        this.poll = new StorePoll(context.uiThread(), TeamRequests.POLL_MILLIS, "exportdesk-run-poll");
        this.deep = new DeepVerifyTask(engine, tasks, dialogs, uiThread);
        deep.progressProperty().addListener((o, a, b) -> updateSummary());
        canVerify.set(engine.can(Permission.VERIFY));
        mismatchesOnly.addListener((o, a, b) -> filter());
        stateFilter.addListener((o, a, b) -> filter());
        search.addListener((o, a, b) -> filter());
        run.addListener((o, a, b) -> showDetail(chunkDetail));
    }

    /** The detail pane: the run's problem in full (if it has one) above the selected chunk's detail. */
    private void showDetail(String chunkText) {
        chunkDetail = chunkText;
        String problem = problemText(run.get());
        detail.set(problem.isEmpty() ? chunkText : chunkText.isEmpty() ? problem : problem + "\n\n" + chunkText);
    }

    /**
     * Why the run stopped, in the engine's full words (the runs table's Problem cell is too narrow for
     * them), or empty. A cancelled run is said to be cancelled, not failed.
     */
    static String problemText(RunRecord r) {
        if (r == null || r.error() == null || r.error().isBlank()) {
            return "";
        }
        if (RunRow.cancelled(r)) {
            return "Run cancelled: " + r.error() + ". Resume continues it from its last sealed chunk.";
        }
        return switch (r.state()) {
            case FAILED -> "Run failed: " + r.error() + "\nResume tries it again from its last sealed chunk. The run's "
                    + "Log… has every attempt, and the failure with its causes.";
            case SCHEMA_DRIFT -> "Run stopped by a change of the source's schema: " + r.error();
            case RESYNC_REQUIRED -> "Run stopped: the log can no longer give its changes. " + r.error()
                    + "\nNothing retries it. Re-sync… (Exports) sends the table again as a full export.";
            default -> "Problem: " + r.error();
        };
    }

    public void activate() {
        if (unsubscribe == null) {
            unsubscribe = events.subscribe(this);
        }
        if (engine.team().active()) {
            // a worker's run sends no events here: its new chunks are read from the store while unfinished
            poll.start(() -> {
                if (run.get() != null && !run.get().state().finished()) {
                    loadTail();
                }
            });
        }
        reload();
    }

    public void deactivate() {
        poll.stop();
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
    }

    /**
     * Reads the run and all its chunks, appending page by page. A reload supersedes a load still
     * running: that one stops at its next page and what it read is dropped.
     */
    public void reload() {
        long load = generation.incrementAndGet();
        loading.set(true);
        loadStartedNanos = System.nanoTime();
        firstPageNanos = -1;
        chunks.clear();
        tasks.run(() -> {
            RunRecord r = engine.findRun(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            uiThread.execute(() -> {
                run.set(r);
                correctionRun.set(r.mode() == RunMode.CORRECTION);
                total.set(r.chunkCount());
            });
            int after = 0;
            int size = FIRST_PAGE;
            while (generation.get() == load) {
                List<ChunkRow> page = page(after, size);
                if (page.isEmpty()) {
                    return null;
                }
                after = page.get(page.size() - 1).seq();
                deliver(load, page);
                if (page.size() < size) {
                    return null;
                }
                if (size == FIRST_PAGE) {
                    // the first rows are on their way to the screen; now the total, for "x of y"
                    int count = engine.chunkCount(runId);
                    uiThread.execute(() -> total.set(count));
                }
                size = PAGE;
            }
            return null;
        }, done -> {
            if (generation.get() != load) {
                return;
            }
            loading.set(false);
            canVerify.set(engine.can(Permission.VERIFY)); // as checked by the reads just done
            fullLoadNanos = System.nanoTime() - loadStartedNanos;
            updateSummary();
        }, e -> {
            if (generation.get() == load) {
                loading.set(false);
                summary.set("Could not read the run: " + ErrorText.summary(e));
            }
        });
    }

    private record Arrived(long load, List<ChunkRow> rows) {
    }

    /**
     * Hands a page read in the background to the FX thread. Pages that arrive while the FX thread
     * has not yet taken the previous ones are appended together, in one list change: a fast load
     * of 100,000 chunks then costs the table a few updates instead of one per page.
     */
    private void deliver(long load, List<ChunkRow> page) {
        arrived.add(new Arrived(load, page));
        if (drainScheduled.compareAndSet(false, true)) {
            uiThread.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false); // before polling: a page added after the poll schedules another drain
        List<ChunkRow> rows = new ArrayList<>();
        for (Arrived a; (a = arrived.poll()) != null; ) {
            if (a.load() == generation.get()) {
                rows.addAll(a.rows());
            }
        }
        if (!rows.isEmpty()) {
            append(rows);
        }
    }

    /**
     * One page of chunks with the latest reconciliation, the receipt and, in a correction run, the
     * chunk each corrects (indexed range reads only, one per kind of fact; background thread).
     */
    private List<ChunkRow> page(int afterSeq, int limit) {
        List<ChunkPageQuery.ChunkWithCheck> page = engine.chunkPage(runId, afterSeq, limit);
        if (page.isEmpty()) {
            return List.of();
        }
        int from = page.get(0).chunk().seq();
        int to = page.get(page.size() - 1).chunk().seq();
        Map<Integer, ChunkPageQuery.Reconciliation> recon = engine.verification().chunkReconciliations(runId, from, to);
        AckService.PageReceipts receipts = engine.verification().chunkReceipts(runId, from, to);
        Map<Integer, CorrectionRepository.Link> corrects = engine.verification().chunkCorrections(runId, from, to);
        List<ChunkRow> out = new ArrayList<>(page.size());
        for (ChunkPageQuery.ChunkWithCheck c : page) {
            int seq = c.chunk().seq();
            out.add(ChunkRow.of(c, recon.get(seq), receipts, corrects.get(seq)));
        }
        return out;
    }

    private void append(List<ChunkRow> page) {
        chunks.append(page);
        if (firstPageNanos < 0) {
            firstPageNanos = System.nanoTime() - loadStartedNanos;
        }
        updateSummary();
    }

    /** While the run progresses: re-read only the last few chunks (states move) and anything new. */
    private void loadTail() {
        if (loading.get() || !tailLoading.compareAndSet(false, true)) {
            return;
        }
        int from = Math.max(0, chunks.lastSeq() - 3);
        tasks.run(() -> new Object[] {engine.findRun(runId).orElseThrow(),
            page(from, PAGE)}, res -> {
                tailLoading.set(false);
                run.set((RunRecord) res[0]);
                @SuppressWarnings("unchecked")
                List<ChunkRow> tail = (List<ChunkRow>) res[1];
                chunks.mergeTail(from, tail);
                total.set(chunks.list().size());
                updateSummary();
            }, e -> tailLoading.set(false));
    }

    private void filter() {
        boolean mm = mismatchesOnly.get();
        String state = stateFilter.get();
        String q = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        visible.setPredicate(c -> (!mm || c.mismatch()) && (state == null || ANY_STATE.equals(state)
                || c.state().equals(state)) && (q.isEmpty() || c.matches(q)));
        updateSummary();
    }

    private void updateSummary() {
        RunRecord r = run.get();
        long mismatches = chunks.mismatches();
        summary.set((r == null ? "" : r.contractName() + " #" + r.sequence() + " · " + RunRow.stateName(r) + " · ")
                + String.format("%,d of %,d chunks shown", visible.size(), Math.max(total.get(), chunks.list().size()))
                + (mismatches > 0 ? " · " + mismatches + " mismatched" : "")
                + (loading.get() ? " · loading…" : "")
                + (deep.progressProperty().get().isEmpty() ? "" : " · " + deep.progressProperty().get()));
    }

    /** Re-hashes the delivery (auditor/admin), then re-reads the chunks to show the outcome. */
    public void verify() {
        summary.set("Verifying…");
        tasks.submit("Verify run " + runId.substring(0, 8), p -> engine.verification().verify(runId), o -> {
            dialogs.notify(o.report().ok() ? DialogService.Severity.INFO : DialogService.Severity.ERROR,
                    "Verification " + (o.report().ok() ? "passed" : "failed"),
                    o.report().ok() ? "Every delivered file matches its manifest."
                            : o.report().failures().size() + " problem(s); see the mismatched chunks.");
            reload();
        }, e -> {
            updateSummary();
            dialogs.showError("Verification did not run", e);
        });
    }

    /**
     * Deep verification (auditor/admin): the delivery check, then re-reads every chunk from the
     * source, classifies it and bisects mismatched ranges down to the differing keys; then re-reads
     * the chunks to show the outcomes. In the background, as a task with progress and Cancel.
     */
    public void deepVerify() {
        deep.start(runId, this::reload);
    }

    /** Asks the deep verification to stop at its next chunk; it records no pass. */
    public void cancelDeepVerify() {
        deep.cancel();
    }

    /** What is read in the background for a selected chunk: its differing keys and its corrections. */
    private record Selected(List<ChunkPageQuery.DifferingKey> keys, List<CorrectionRepository.CorrectedBy> correctedBy) {
    }

    /**
     * Shows {@code row} in the detail pane; its differing keys (from the latest deep verification)
     * and the correction chunks that corrected it are read in the background and added when they
     * arrive. Null clears the pane.
     */
    public void select(ChunkRow row) {
        long generation = ++selectionGeneration;
        selected.set(row);
        differingKeys.clear();
        correctedBy.clear();
        if (row == null) {
            showDetail("");
            return;
        }
        showDetail(ChunkDetailText.of(row, null, null));
        boolean readKeys = row.reconciled() && !"MATCH".equals(row.reconciliation());
        tasks.run(() -> new Selected(readKeys ? engine.verification().differingKeys(row.verificationId(), row.seq(), MAX_KEYS + 1)
                : null, engine.verification().correctedBy(runId, row.seq())), read -> {
                    if (generation != selectionGeneration) {
                        return; // another chunk was selected meanwhile
                    }
                    if (read.keys() != null) {
                        differingKeys.setAll(read.keys().subList(0, Math.min(MAX_KEYS, read.keys().size())));
                    }
                    correctedBy.setAll(read.correctedBy());
                    showDetail(ChunkDetailText.of(row, read.keys(), read.correctedBy()));
                }, e -> {
                    if (generation == selectionGeneration) {
                        showDetail(ChunkDetailText.of(row, null, null) + "\nDiffering keys and corrections could "
                                + "not be read: " + ErrorText.summary(e));
                    }
                });
    }

    /** The run's own log, for a Log window. */
    public RunLogViewModel logModel() {
        return new RunLogViewModel(context, runId);
    }

    /** Writes the run's auditor report (csv, json or pdf, by the chosen file's extension) in the background. */
    public void exportReport() {
        RunRecord r = run.get();
        String initial = (r == null ? "run" : r.contractName() + "-run-" + r.sequence()) + "-report.pdf";
        dialogs.chooseFileToSave("Export the run's report (.pdf, .csv or .json)", initial).ifPresent(file -> {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String format = name.endsWith(".csv") ? "csv" : name.endsWith(".json") ? "json" : "pdf";
            tasks.submit("Report " + file.getFileName(), p -> engine.ledger().writeRunReport(runId, format, file),
                    done -> dialogs.notify(DialogService.Severity.INFO, "Report written", done.toString()),
                    e -> dialogs.showError("The report could not be written", e));
        });
    }

    /** The folder holding this run's delivered files (folder destinations only). */
    public void openLocation() {
        RunRecord r = run.get();
        if (r == null) {
            return;
        }
        tasks.run(() -> engine.load(r.contractName(), r.contractVersion()).contract(), c -> {
            DestinationSpec d = c.destination();
            if (d instanceof FolderDestinationSpec f) {
                dialogs.openLocation(Path.of(f.path()).resolve(DeliveryLayout.runDirectory(c, r.contractVersion(),
                        r.sequence(), r.plannedAt())));
            } else {
                dialogs.notify(DialogService.Severity.INFO, "Remote destination", d.describe());
            }
        }, e -> dialogs.showError("Cannot open the location", e));
    }

    @Override
    public void onProgress(RunProgress progress) {
        if (progress.runId().equals(runId)) {
            loadTail();
        }
    }

    @Override
    public void onRunEnded(String contract) {
        RunRecord r = run.get();
        if (r != null && r.contractName().equals(contract)) {
            loadTail();
        }
    }

    public long firstPageMillis() {
        return firstPageNanos / 1_000_000;
    }

    public long fullLoadMillis() {
        return fullLoadNanos / 1_000_000;
    }

    public String runId() {
        return runId;
    }

    public ObservableList<ChunkRow> chunks() {
        return visible;
    }

    public ObservableList<ChunkRow> allChunks() {
        return chunks.list();
    }

    public ReadOnlyObjectProperty<RunRecord> runProperty() {
        return run.getReadOnlyProperty();
    }

    public BooleanProperty mismatchesOnlyProperty() {
        return mismatchesOnly;
    }

    public ObjectProperty<String> stateFilterProperty() {
        return stateFilter;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True from Deep verify until the engine has returned (after a Cancel too). */
    public ReadOnlyBooleanProperty deepVerifyingProperty() {
        return deep.runningProperty();
    }

    public ReadOnlyObjectProperty<ChunkRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The detail pane's text for the selected chunk, including its differing keys. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** The selected chunk's differing keys with their kinds (latest deep verification). */
    public ObservableList<ChunkPageQuery.DifferingKey> differingKeys() {
        return differingKeysView;
    }

    /** The correction chunks that corrected the selected chunk, oldest first. */
    public ObservableList<CorrectionRepository.CorrectedBy> correctedBy() {
        return correctedByView;
    }

    /** True once the run is read and is a correction run (its table shows what each chunk corrects). */
    public ReadOnlyBooleanProperty correctionRunProperty() {
        return correctionRun.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canVerifyProperty() {
        return canVerify.getReadOnlyProperty();
    }
}
