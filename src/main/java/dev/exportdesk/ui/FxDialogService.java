package dev.exportdesk.ui;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** {@link DialogService} with JavaFX alerts, file choosers and ControlsFX notifications. */
public final class FxDialogService implements DialogService {
    private final Window owner;
    private final FolderOpener folders;

    public FxDialogService(Window owner, FolderOpener folders) {
        this.owner = owner;
        this.folders = folders;
    }

    @Override
    public boolean confirm(String title, String question) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.YES, ButtonType.NO);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        keepWordsWhole(a, question);
        return a.showAndWait().filter(b -> b == ButtonType.YES).isPresent();
    }

    @Override
    public Optional<String> askText(String title, String question, int maxLength) {
        TextInputDialog d = new TextInputDialog();
        d.initOwner(owner);
        d.setTitle(title);
        d.setHeaderText(title);
        d.setContentText(question);
        d.getEditor().setPrefColumnCount(40);
        d.getEditor().setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().length() <= maxLength
                ? c : null));
        return d.showAndWait();
    }

    @Override
    public void showError(String title, Throwable error) {
        String summary = ErrorText.summary(error);
        Alert a = new Alert(Alert.AlertType.ERROR, summary, ButtonType.OK);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        keepWordsWhole(a, summary);
        TextArea detail = new TextArea(ErrorText.detail(error));
        detail.setEditable(false);
        detail.setWrapText(false);
        a.getDialogPane().setExpandableContent(detail);
        a.show();
    }

    /**
     * Widens the dialog to its message's longest word (a user or contract name, a path), up to the
     * owner's width less a window frame's room, within the owner's screen: at its own ~360 px an
     * alert wrapped such a word inside itself ("operations-nig / htshift"), and as wide as a
     * 1024 px owner, its frame took it past the screen's edge with its Yes button (seen under
     * openbox with a path in the message). A word wider than that still wraps.
     */
    private void keepWordsWhole(Alert a, String message) {
        double longest = Arrays.stream(message.split("\\s+")).mapToDouble(w -> new Text(w).getLayoutBounds()
                .getWidth()).max().orElse(0);
        double width = Math.min(longest + MESSAGE_PADDING, widest());
        a.getDialogPane().setMinWidth(width);
        // sized before it is shown, so it is centred on its owner at this width, not at its default
        a.getDialogPane().setPrefWidth(Math.max(width, a.getDialogPane().getPrefWidth()));
    }

    /** The widest a dialog may be: its owner's width, within the owner's screen, less a frame's room. */
    private double widest() {
        return owner == null ? MAX_DIALOG_WIDTH
                : Math.max(Math.min(owner.getWidth(), screenWidth(owner)) - FRAME_ROOM, MIN_DIALOG_WIDTH);
    }

    private static double screenWidth(Window w) {
        return Screen.getScreensForRectangle(w.getX(), w.getY(), Math.max(w.getWidth(), 1), Math.max(w.getHeight(), 1))
                .stream().mapToDouble(s -> s.getVisualBounds().getWidth()).max()
                .orElse(Screen.getPrimary().getVisualBounds().getWidth());
    }

    /** The message label's padding and the dialog's insets, on both sides. */
    private static final double MESSAGE_PADDING = 60;
    /** A window manager's frame around the dialog, and a little room beside it. */
    private static final double FRAME_ROOM = 40;
    private static final double MIN_DIALOG_WIDTH = 360;
    private static final double MAX_DIALOG_WIDTH = 1000;
    private static final double TEXT_DIALOG_WIDTH = 900;

    /** Non-modal, so the text can be read beside the screen it explains; Copy keeps the dialog open. */
    @Override
    public void showText(String title, String text) {
        ButtonType copy = new ButtonType("Copy", ButtonBar.ButtonData.LEFT);
        Alert a = new Alert(Alert.AlertType.NONE, null, copy, ButtonType.CLOSE);
        a.initOwner(owner);
        a.initModality(javafx.stage.Modality.NONE);
        a.setTitle(title);
        a.setHeaderText(title);
        a.setResizable(true);
        TextArea area = new TextArea(text);
        area.setId("fullText");
        area.setEditable(false);
        area.setWrapText(true);
        area.getStyleClass().add("mono");
        area.setPrefColumnCount(40);
        area.setPrefRowCount(24);
        a.getDialogPane().setContent(area);
        // wide enough for a log line, never wider than the owner's screen less a frame: at 100
        // monospace columns it was 1318 px on a 1280 px screen, its Copy button off the left edge
        a.getDialogPane().setPrefWidth(Math.min(TEXT_DIALOG_WIDTH, widest()));
        a.getDialogPane().setMaxWidth(widest());
        a.getDialogPane().lookupButton(copy).addEventFilter(ActionEvent.ACTION, e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text);
            Clipboard.getSystemClipboard().setContent(content);
            e.consume();
        });
        a.show();
    }

    /**
     * A notification; one whose text takes more than a line, and so may be cut to fit the toast
     * ({@link #toastText}), has a Details… action that shows it whole.
     */
    @Override
    public void notify(Severity severity, String title, String text) {
        String shown = toastText(text);
        Notifications n = Notifications.create().owner(owner).title(title).text(shown)
                .hideAfter(Duration.seconds(severity == Severity.ERROR ? 12 : 6));
        if (text != null && text.strip().length() > TOAST_LINE) {
            n.action(new org.controlsfx.control.action.Action("Details…", e -> showText(title, text)));
        }
        switch (severity) {
            case ERROR -> n.showError();
            case WARNING -> n.showWarning();
            default -> n.showInformation();
        }
    }

    /**
     * A notification's text broken into lines of at most {@link #TOAST_LINE} characters, at most
     * {@link #TOAST_LINES} of them. ControlsFX sizes the toast to its longest line and aligns its right
     * edge with the window's, so one long reason pushed its start off the screen; the whole reason
     * stays in the runs table's tooltip and the run detail.
     */
    static String toastText(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int lines = 1;
        int lineStart = 0;
        for (String word : text.strip().split("\\s+")) {
            while (word.length() > TOAST_LINE) { // a path or a hash longer than a line: cut it into lines
                if (out.length() > lineStart) {
                    if (++lines > TOAST_LINES) {
                        return out + " …";
                    }
                    out.append('\n');
                    lineStart = out.length();
                }
                out.append(word, 0, TOAST_LINE);
                word = word.substring(TOAST_LINE);
            }
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > TOAST_LINE) {
                if (++lines > TOAST_LINES) {
                    return out + " …";
                }
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    static final int TOAST_LINE = 90;
    static final int TOAST_LINES = 6;

    @Override
    public Optional<Path> chooseFileToOpen(String title, String extensionDescription, String pattern) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(extensionDescription, pattern));
        return Optional.ofNullable(c.showOpenDialog(owner)).map(java.io.File::toPath);
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, String initialName) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.setInitialFileName(initialName);
        return Optional.ofNullable(c.showSaveDialog(owner)).map(java.io.File::toPath);
    }

    /** Asks the desktop in the background; when it cannot open the folder, the path is shown to copy. */
    @Override
    public void openLocation(Path folder) {
        Thread t = new Thread(() -> folders.open(folder).ifPresent(why -> Platform.runLater(() ->
                showFolderPath(folder, why))), "open-folder");
        t.setDaemon(true);
        t.start();
    }

    /** Why the folder did not open, and its path in a field to select or copy (Copy path keeps the dialog open). */
    private void showFolderPath(Path folder, String why) {
        ButtonType copy = new ButtonType("Copy path", ButtonBar.ButtonData.LEFT);
        Alert a = new Alert(Alert.AlertType.INFORMATION, null, copy, ButtonType.OK);
        a.initOwner(owner);
        a.setTitle("Open the folder yourself");
        a.setHeaderText("The folder could not be opened");
        Label reason = new Label(why + " Open it in your file manager; its path:");
        reason.setWrapText(true);
        TextField path = new TextField(folder.toString());
        path.setId("folderPath");
        path.setEditable(false);
        path.setPrefColumnCount(48);
        a.getDialogPane().setContent(new VBox(8, reason, path));
        a.getDialogPane().lookupButton(copy).addEventFilter(ActionEvent.ACTION, e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(folder.toString());
            Clipboard.getSystemClipboard().setContent(content);
            e.consume();
        });
        a.show();
        path.requestFocus();
        path.selectAll();
    }
}
