package dev.exportdesk.ui;

import java.nio.file.Path;
import java.util.Optional;
import javafx.application.HostServices;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** {@link DialogService} with JavaFX alerts, file choosers and ControlsFX notifications. */
public final class FxDialogService implements DialogService {
    private final Window owner;
    private final HostServices host;

    public FxDialogService(Window owner, HostServices host) {
        this.owner = owner;
        this.host = host;
    }

    @Override
    public boolean confirm(String title, String question) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.YES, ButtonType.NO);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        return a.showAndWait().filter(b -> b == ButtonType.YES).isPresent();
    }

    @Override
    public void showError(String title, Throwable error) {
        Alert a = new Alert(Alert.AlertType.ERROR, ErrorText.summary(error), ButtonType.OK);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        TextArea detail = new TextArea(ErrorText.detail(error));
        detail.setEditable(false);
        detail.setWrapText(false);
        a.getDialogPane().setExpandableContent(detail);
        a.show();
    }

    @Override
    public void notify(Severity severity, String title, String text) {
        Notifications n = Notifications.create().owner(owner).title(title).text(toastText(text))
                .hideAfter(Duration.seconds(severity == Severity.ERROR ? 12 : 6));
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

    @Override
    public void openLocation(Path folder) {
        if (host != null) {
            host.showDocument(folder.toUri().toString());
        } else {
            notify(Severity.INFO, "Delivered files", folder.toString());
        }
    }
}
