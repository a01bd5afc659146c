package dev.exportdesk.ui.notifications;

import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.notifications.NotificationHistory.Entry;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;

/**
 * The notification history: time, severity and title of everything the console said, newest
 * first; the selected one's whole text (for an error, its words and technical detail) below, as
 * plain text in a read-only area one can select and copy.
 */
public final class NotificationsView {
    private final NotificationHistory history;
    private final Runnable onClose;
    private Parent root;
    @FXML private Label summaryLabel;
    @FXML private TableView<Entry> table;
    @FXML private TableColumn<Entry, String> nWhen;
    @FXML private TableColumn<Entry, String> nSeverity;
    @FXML private TableColumn<Entry, String> nTitle;
    @FXML private TextArea textArea;

    public NotificationsView(NotificationHistory history, Runnable onClose) {
        this.history = history;
        this.onClose = onClose;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        table.setItems(history.entries());
        Cells.value(nWhen, e -> Cells.time(e.at()));
        Cells.times(nWhen);
        Cells.value(nSeverity, e -> e.severity().name());
        Cells.value(nTitle, Entry::title);
        Cells.tooltips(nTitle);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, e) ->
                textArea.setText(e == null ? "" : e.title() + "\n\n" + e.text()));
        summaryLabel.textProperty().bind(Bindings.createStringBinding(() -> history.entries().isEmpty()
                ? "Nothing yet: notifications of runs, the schedule, receipts and errors are kept here"
                : history.entries().size() + " notification(s), newest first; kept 30 days, at most "
                + NotificationHistory.LIMIT, history.entries()));
        if (!history.entries().isEmpty()) {
            table.getSelectionModel().selectFirst();
        }
    }

    public TableView<Entry> table() {
        return table;
    }

    public TextArea textArea() {
        return textArea;
    }

    @FXML private void onClose() {
        onClose.run();
    }
}
