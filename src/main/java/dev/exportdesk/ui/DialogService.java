package dev.exportdesk.ui;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a view model may ask of the person in front of the screen, behind an interface so
 * view models stay testable without a toolkit (JabRef's DialogService).
 */
public interface DialogService {

    boolean confirm(String title, String question);

    /**
     * Asks for one line of optional text (e.g. why a schedule is paused), at most {@code maxLength}
     * characters; empty when the person cancelled, "" when they gave none.
     */
    Optional<String> askText(String title, String question, int maxLength);

    /** An error in words, with the technical detail one click away. */
    void showError(String title, Throwable error);

    /** A long text in full (an error with its causes, a log excerpt), read-only, with a Copy button. */
    void showText(String title, String text);

    /** A transient notification (ControlsFX Notifications in the console). */
    void notify(Severity severity, String title, String text);

    Optional<Path> chooseFileToOpen(String title, String extensionDescription, String pattern);

    Optional<Path> chooseFileToSave(String title, String initialName);

    /** Shows a folder in the desktop's file manager. */
    void openLocation(Path folder);

    enum Severity { INFO, WARNING, ERROR }
}
