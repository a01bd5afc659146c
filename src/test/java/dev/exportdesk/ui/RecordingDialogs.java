package dev.exportdesk.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DialogService} for tests: answers confirmations as told and records everything shown. */
public final class RecordingDialogs implements DialogService {
    public final List<String> confirmations = new CopyOnWriteArrayList<>();
    public final List<String> notifications = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** Texts shown in full (Details…), as "title: text". */
    public final List<String> texts = new CopyOnWriteArrayList<>();
    public volatile boolean answer = true;
    public volatile Path fileToOpen;
    public volatile Path fileToSave;
    /** What a text question is answered with; null: the person cancelled. */
    public volatile String textAnswer = "";

    @Override
    public Optional<String> askText(String title, String question, int maxLength) {
        confirmations.add(title + ": " + question);
        return Optional.ofNullable(textAnswer);
    }

    @Override
    public boolean confirm(String title, String question) {
        confirmations.add(title + ": " + question);
        return answer;
    }

    @Override
    public void showError(String title, Throwable error) {
        errors.add(error);
    }

    @Override
    public void showText(String title, String text) {
        texts.add(title + ": " + text);
    }

    @Override
    public void notify(Severity severity, String title, String text) {
        notifications.add(severity + " " + title + ": " + text);
    }

    @Override
    public Optional<Path> chooseFileToOpen(String title, String extensionDescription, String pattern) {
        return Optional.ofNullable(fileToOpen);
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, String initialName) {
        return Optional.ofNullable(fileToSave);
    }

    @Override
    public void openLocation(Path folder) {
        notifications.add("OPEN " + folder);
    }
}
