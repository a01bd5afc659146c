package dev.exportdesk.ui.shell;

import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.FxTaskRunner;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.WindowState;
import dev.exportdesk.ui.audit.AuditView;
import dev.exportdesk.ui.audit.AuditViewModel;
import dev.exportdesk.ui.audit.CsvAuditReport;
import dev.exportdesk.ui.contracts.ContractsView;
import dev.exportdesk.ui.contracts.ContractsViewModel;
import dev.exportdesk.ui.dashboard.DashboardView;
import dev.exportdesk.ui.dashboard.DashboardViewModel;
import dev.exportdesk.ui.destinations.DestinationsView;
import dev.exportdesk.ui.destinations.DestinationsViewModel;
import dev.exportdesk.ui.notifications.NotificationHistory;
import dev.exportdesk.ui.notifications.NotificationsView;
import dev.exportdesk.ui.runs.ExportsView;
import dev.exportdesk.ui.runs.ExportsViewModel;
import dev.exportdesk.ui.runs.RunDetailView;
import dev.exportdesk.ui.runs.RunDetailViewModel;
import dev.exportdesk.ui.schedule.ConsoleScheduler;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import dev.exportdesk.ui.sources.SourcesView;
import dev.exportdesk.ui.sources.SourcesViewModel;
import dev.exportdesk.ui.users.UsersView;
import dev.exportdesk.ui.users.UsersViewModel;
import dev.exportdesk.ui.workers.WorkersView;
import dev.exportdesk.ui.workers.WorkersViewModel;
import java.util.prefs.Preferences;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The main window: navigation, the current screen, the status bar, shortcuts and theme. Screens
 * are activated when shown and deactivated when hidden, which is where they (un)subscribe from
 * engine events.
 */
public final class ShellView {
    private final ConsoleContext context;
    private final ShellViewModel model;
    private final WindowState windowState;
    private final ExportsView exports;
    private final ContractsView contracts;
    private final DashboardView dashboard;
    private final DashboardViewModel dashboardVm;
    private final AuditView audit;
    private final UsersView users;
    private final SourcesView sources;
    private final DestinationsView destinations;
    private final WorkersView workers;
    private final ConsoleScheduler scheduler;
    private final RunWindows runWindows;
    private final NotificationHistory notifications;
    private Stage notificationsWindow;
    private RunDetailView runDetail;
    private Parent root;
    private Timeline healthTimer;
    @FXML private ToggleButton contractsTab;
    @FXML private ToggleButton exportsTab;
    @FXML private ToggleButton dashboardTab;
    @FXML private ToggleButton auditTab;
    @FXML private ToggleButton usersTab;
    @FXML private ToggleButton sourcesTab;
    @FXML private ToggleButton workersTab;
    @FXML private Button themeButton;
    @FXML private javafx.scene.layout.HBox header;
    @FXML private Label subtitle;
    private Runnable signOut = () -> { };
    @FXML private StackPane content;
    @FXML private Label workspaceLabel;
    @FXML private Label healthLabel;
    @FXML private Label userLabel;
    @FXML private Label scheduleLabel;
    @FXML private Button notificationsButton;

    public ShellView(ConsoleContext shown, FxTaskRunner fxTasks, Preferences prefs) {
        // every screen's toasts and error dialogs go through the history, which keeps them
        this.notifications = new NotificationHistory(shown.dialogs(), shown.engine(), shown.tasks(), shown.clock());
        ConsoleContext context = new ConsoleContext(shown.workspace(), shown.engine(), shown.tasks(), notifications,
                shown.events(), shown.uiThread(), shown.clock());
        this.context = context;
        notifications.load();
        this.model = new ShellViewModel(context, prefs);
        this.windowState = new WindowState(prefs);
        this.runWindows = new RunWindows(context);
        this.exports = new ExportsView(new ExportsViewModel(context), fxTasks, windowState, this::openRun,
                this::openRunInWindow);
        this.contracts = new ContractsView(new ContractsViewModel(context), windowState);
        this.dashboardVm = new DashboardViewModel(context, this::openRun, exports.model()::isRunning);
        this.dashboard = new DashboardView(dashboardVm);
        this.audit = new AuditView(new AuditViewModel(context, new CsvAuditReport()), windowState);
        this.users = new UsersView(new UsersViewModel(context));
        users.onSignOut(this::signOut);
        this.sources = new SourcesView(new SourcesViewModel(context));
        this.destinations = new DestinationsView(new DestinationsViewModel(context));
        this.workers = new WorkersView(new WorkersViewModel(context));
        sources.onDestinations(() -> show(Screen.DESTINATIONS));
        destinations.onSources(() -> show(Screen.SOURCES));
        // owned here, with the Exports model whose tasks it launches: they run whichever screen is shown
        this.scheduler = new ConsoleScheduler(context, exports.model());
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        workspaceLabel.textProperty().bind(model.workspaceProperty());
        Tooltip wholePath = new Tooltip();
        wholePath.textProperty().bind(model.workspaceProperty());
        workspaceLabel.setTooltip(wholePath);
        healthLabel.textProperty().bind(model.healthProperty());
        Tooltip healthTip = new Tooltip();
        healthTip.textProperty().bind(model.healthTipProperty());
        healthTip.setWrapText(true);
        healthTip.setMaxWidth(480);
        healthLabel.setTooltip(healthTip);
        model.healthWarningProperty().addListener((o, was, warns) -> {
            healthLabel.getStyleClass().remove(Styles.WARNING);
            if (warns) {
                healthLabel.getStyleClass().add(Styles.WARNING);
            }
        });
        userLabel.textProperty().bind(model.userProperty());
        scheduleLabel.textProperty().bind(scheduler.statusProperty());
        // a bell and the unread count: the status bar has no room for a word at 1024 px
        javafx.scene.layout.Region bell = new javafx.scene.layout.Region();
        bell.getStyleClass().add("bell-icon");
        notificationsButton.setGraphic(bell);
        notificationsButton.textProperty().bind(Bindings.createStringBinding(() -> notifications.unreadProperty()
                .get() == 0 ? "" : String.valueOf(notifications.unreadProperty().get()), notifications.unreadProperty()));
        Tooltip bellTip = new Tooltip();
        bellTip.textProperty().bind(Bindings.createStringBinding(() -> "Notifications" + (notifications
                .unreadProperty().get() == 0 ? "" : " (" + notifications.unreadProperty().get() + " new)")
                + ": every notification and error of this console, kept after its toast is gone (30 days, at most "
                + NotificationHistory.LIMIT + ")", notifications.unreadProperty()));
        notificationsButton.setTooltip(bellTip);
        notificationsButton.setAccessibleText("Notifications");
        notificationsButton.setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        notifications.unreadProperty().addListener((o, was, now) -> {
            notificationsButton.getStyleClass().remove("unread");
            notificationsButton.setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            if (now.intValue() > 0) {
                notificationsButton.getStyleClass().add("unread");
                notificationsButton.setContentDisplay(javafx.scene.control.ContentDisplay.LEFT);
            }
        });
        workersTab.setVisible(model.teamMode());
        workersTab.setManaged(model.teamMode());
        fitHeader();
        themeButton.textProperty().bind(javafx.beans.binding.Bindings.when(model.darkProperty())
                .then("Light theme").otherwise("Dark theme"));
        model.screenProperty().addListener((o, old, now) -> switchTo(old, now));
        switchTo(null, model.screenProperty().get());
        model.checkHealth();
        healthTimer = new Timeline(new KeyFrame(Duration.seconds(15), e -> model.checkHealth()));
        healthTimer.setCycleCount(Timeline.INDEFINITE);
        healthTimer.play();
    }

    /**
     * At 1024 px a team console's eight header items (seven screens, the theme) do not fit with their
     * shortcut hints: below the width the full header needs, the tabs drop the hint and the subtitle
     * goes; each tab's tooltip names its shortcut either way.
     */
    private void fitHeader() {
        java.util.Map<ToggleButton, String> full = new java.util.LinkedHashMap<>();
        for (ToggleButton tab : java.util.List.of(contractsTab, exportsTab, dashboardTab, auditTab, usersTab, sourcesTab,
                workersTab)) {
            full.put(tab, tab.getText());
            String[] parts = tab.getText().split("  ");
            tab.setTooltip(new Tooltip(parts[0] + " (" + parts[1].replace("⌃", "Ctrl+") + ")"));
        }
        double[] needs = {-1};
        header.widthProperty().addListener((o, was, now) -> {
            if (needs[0] < 0 && header.getScene() != null) {
                full.forEach(ToggleButton::setText);
                subtitle.setVisible(true);
                subtitle.setManaged(true);
                header.applyCss();
                needs[0] = header.prefWidth(-1);
            }
            boolean compact = needs[0] > 0 && now.doubleValue() < needs[0];
            full.forEach((tab, text) -> tab.setText(compact ? text.split("  ")[0] : text));
            subtitle.setVisible(!compact);
            subtitle.setManaged(!compact);
        });
    }

    /** Wires theme and shortcuts to the scene (call once the root is in a scene). */
    public void install(Scene scene) {
        scene.getStylesheets().setAll(getClass().getResource(Styles.BASE_STYLESHEET).toExternalForm());
        applyTheme(scene, model.darkProperty().get());
        model.darkProperty().addListener((o, a, dark) -> applyTheme(scene, dark));
        var acc = scene.getAccelerators();
        acc.put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.CONTRACTS));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.EXPORTS));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.DASHBOARD));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.AUDIT));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.USERS));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT6, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.SOURCES));
        acc.put(new KeyCodeCombination(KeyCode.DIGIT7, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.DESTINATIONS));
        if (model.teamMode()) {
            acc.put(new KeyCodeCombination(KeyCode.DIGIT8, KeyCombination.SHORTCUT_DOWN), () -> show(Screen.WORKERS));
        }
        acc.put(new KeyCodeCombination(KeyCode.F5), this::refreshCurrent);
        acc.put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                model::toggleTheme);
        acc.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            show(Screen.CONTRACTS);
            if (contracts.model().canEditProperty().get()) {
                contracts.model().newContract();
            }
        });
        acc.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), () -> {
            if (model.screenProperty().get() == Screen.EXPORTS) {
                exports.onRun();
            }
        });
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), this::focusSearch);
        acc.put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
            if (model.screenProperty().get() == Screen.RUN) {
                show(Screen.EXPORTS);
            }
        });
    }

    private void applyTheme(Scene scene, boolean dark) {
        String css = getClass().getResource(Styles.DARK_STYLESHEET).toExternalForm();
        scene.getStylesheets().remove(css);
        if (dark) {
            scene.getStylesheets().add(css);
        }
    }

    public void show(Screen screen) {
        model.screenProperty().set(screen);
    }

    public void openRun(String runId) {
        if (runDetail != null && model.screenProperty().get() == Screen.RUN) {
            runDetail.model().deactivate();
        }
        runDetail = new RunDetailView(new RunDetailViewModel(context, runId), () -> show(Screen.EXPORTS));
        if (model.screenProperty().get() == Screen.RUN) {
            showRunDetail();
        } else {
            show(Screen.RUN);
        }
    }

    /** Opens a run in a window of its own beside this one; returns its view model. */
    public RunDetailViewModel openRunInWindow(String runId) {
        return runWindows.open(runId, root.getScene());
    }

    /** The run windows open now, oldest first. */
    public java.util.List<javafx.stage.Stage> runWindows() {
        return runWindows.windows();
    }

    /** The run detail shown in one of {@link #runWindows()}. */
    public RunDetailViewModel runWindowModel(javafx.stage.Stage window) {
        return runWindows.model(window);
    }

    /** What the console was built with (its engine events, tasks and user). */
    public ConsoleContext context() {
        return context;
    }

    /**
     * The chunks start loading in the background before the screen is built, so the first page's
     * read overlaps building the view (its results reach the view model after this event).
     */
    private void showRunDetail() {
        runDetail.model().activate();
        content.getChildren().setAll(runDetail.root());
    }

    private void switchTo(Screen old, Screen now) {
        if (old != null) {
            deactivate(old);
        }
        model.refreshUser();
        switch (now) {
            case CONTRACTS -> {
                content.getChildren().setAll(contracts.root());
                contracts.model().refresh();
            }
            case EXPORTS -> {
                content.getChildren().setAll(exports.root());
                exports.model().activate();
            }
            case DASHBOARD -> {
                content.getChildren().setAll(dashboard.root());
                dashboardModel().refresh();
            }
            case AUDIT -> {
                content.getChildren().setAll(audit.root());
                audit.model().refresh();
            }
            case RUN -> showRunDetail();
            case USERS -> {
                content.getChildren().setAll(users.root());
                users.model().refresh();
            }
            case SOURCES -> {
                content.getChildren().setAll(sources.root());
                sources.model().refresh();
            }
            case DESTINATIONS -> {
                content.getChildren().setAll(destinations.root());
                destinations.model().refresh();
            }
            case WORKERS -> {
                content.getChildren().setAll(workers.root());
                workers.model().activate();
            }
            default -> throw new IllegalStateException();
        }
        contractsTab.setSelected(now == Screen.CONTRACTS);
        exportsTab.setSelected(now == Screen.EXPORTS || now == Screen.RUN);
        dashboardTab.setSelected(now == Screen.DASHBOARD);
        auditTab.setSelected(now == Screen.AUDIT);
        usersTab.setSelected(now == Screen.USERS);
        // destinations share the Sources tab: the header has no room for another at 1024 px
        sourcesTab.setSelected(now == Screen.SOURCES || now == Screen.DESTINATIONS);
        workersTab.setSelected(now == Screen.WORKERS);
    }

    private void deactivate(Screen screen) {
        if (screen == Screen.EXPORTS) {
            exports.model().deactivate();
        } else if (screen == Screen.RUN && runDetail != null) {
            runDetail.model().deactivate();
        } else if (screen == Screen.WORKERS) {
            workers.model().deactivate();
        }
    }

    private void refreshCurrent() {
        switch (model.screenProperty().get()) {
            case CONTRACTS -> contracts.model().refresh();
            case EXPORTS -> exports.model().refresh();
            case DASHBOARD -> dashboardModel().refresh();
            case AUDIT -> audit.model().refresh();
            case RUN -> runDetail.model().reload();
            case USERS -> users.model().refresh();
            case SOURCES -> sources.model().refresh();
            case DESTINATIONS -> destinations.model().refresh();
            case WORKERS -> workers.model().refresh();
            default -> { }
        }
    }

    private void focusSearch() {
        switch (model.screenProperty().get()) {
            case CONTRACTS -> contracts.focusSearch();
            case AUDIT -> audit.focusSearch();
            case RUN -> runDetail.focusSearch();
            default -> { }
        }
    }

    private DashboardViewModel dashboardModel() {
        return dashboardVm;
    }

    public void stop() {
        scheduler.stop();
        if (notificationsWindow != null) {
            notificationsWindow.close();
        }
        runWindows.closeAll();
        if (healthTimer != null) {
            healthTimer.stop();
        }
        exports.model().deactivate();
        workers.model().deactivate();
        if (runDetail != null) {
            runDetail.model().deactivate();
        }
    }

    /** The workspace's schedule while the console is open (the composition root starts it after sign-in). */
    public ConsoleScheduler scheduler() {
        return scheduler;
    }

    public ShellViewModel model() {
        return model;
    }

    public ExportsView exports() {
        return exports;
    }

    public ContractsView contracts() {
        return contracts;
    }

    public DashboardView dashboard() {
        return dashboard;
    }

    public AuditView audit() {
        return audit;
    }

    public UsersView users() {
        return users;
    }

    public SourcesView sources() {
        return sources;
    }

    public DestinationsView destinations() {
        return destinations;
    }

    public WorkersView workers() {
        return workers;
    }

    public RunDetailView runDetail() {
        return runDetail;
    }

    @FXML private void onContracts() {
        show(Screen.CONTRACTS);
    }

    @FXML private void onExports() {
        show(Screen.EXPORTS);
    }

    @FXML private void onDashboard() {
        show(Screen.DASHBOARD);
    }

    @FXML private void onAudit() {
        show(Screen.AUDIT);
    }

    @FXML private void onUsers() {
        show(Screen.USERS);
    }

    @FXML private void onSources() {
        show(Screen.SOURCES);
    }

    @FXML private void onWorkers() {
        show(Screen.WORKERS);
    }

    /** Opens the notification history in a window of its own (or brings it forward); all of it counts as read. */
    @FXML public void onNotifications() {
        notifications.markAllRead();
        if (notificationsWindow != null) {
            notificationsWindow.toFront();
            return;
        }
        Stage window = new Stage();
        NotificationsView view = new NotificationsView(notifications, window::close);
        Scene scene = new Scene(view.root(), 820, 480);
        Scene main = root.getScene();
        Bindings.bindContent(scene.getStylesheets(), main.getStylesheets());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), window::close);
        window.setScene(scene);
        window.setTitle("ExportDesk — notifications");
        window.initOwner(main.getWindow());
        window.setOnHidden(e -> {
            Bindings.unbindContent(scene.getStylesheets(), main.getStylesheets());
            notificationsWindow = null;
            notifications.markAllRead(); // what arrived while it was open was seen too
        });
        notificationsWindow = window;
        window.show();
    }

    /** The notification history window while it is open, else null. */
    public Stage notificationsWindow() {
        return notificationsWindow;
    }

    /** Everything this console said, kept after the toast. */
    public NotificationHistory notifications() {
        return notifications;
    }

    @FXML private void onTheme() {
        model.toggleTheme();
    }

    /** What signing out does once the shell has stopped (the app shows the sign-in window again). */
    public void onSignOut(Runnable action) {
        this.signOut = action;
    }

    /**
     * Refused while a run started here is running: its task lives in this window, and the next
     * user would neither see nor cancel it.
     */
    private void signOut() {
        if (exports.model().anyRunning()) {
            context.dialogs().notify(dev.exportdesk.ui.DialogService.Severity.WARNING, "Not signed out",
                    "A run started here is still running. Wait for it or cancel it under Running, then sign out.");
            return;
        }
        stop();
        signOut.run();
    }
}
