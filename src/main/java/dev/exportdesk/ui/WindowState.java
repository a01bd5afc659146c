package dev.exportdesk.ui;

import java.util.prefs.Preferences;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;

/** Remembers window size and position and split-pane dividers in {@link Preferences}. */
public final class WindowState {
    private final Preferences prefs;

    public WindowState(Preferences prefs) {
        this.prefs = prefs;
    }

    public void restore(Stage stage) {
        stage.setWidth(prefs.getDouble("window.width", 1280));
        stage.setHeight(prefs.getDouble("window.height", 800));
        double x = prefs.getDouble("window.x", Double.NaN);
        double y = prefs.getDouble("window.y", Double.NaN);
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
    }

    public void save(Stage stage) {
        try {
            write(stage);
        } catch (IllegalStateException removed) {
            // the preferences node was removed meanwhile (another console instance, tests): nothing to keep
        }
    }

    private void write(Stage stage) {
        prefs.putBoolean("window.maximized", stage.isMaximized());
        if (!stage.isMaximized()) {
            prefs.putDouble("window.width", stage.getWidth());
            prefs.putDouble("window.height", stage.getHeight());
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
        }
    }

    /** Restores a split pane's dividers now and saves them whenever they move. */
    public void track(String key, SplitPane pane) {
        var dividers = pane.getDividers();
        for (int i = 0; i < dividers.size(); i++) {
            String k = "split." + key + "." + i;
            var d = dividers.get(i);
            d.setPosition(prefs.getDouble(k, d.getPosition()));
            d.positionProperty().addListener((o, a, b) -> prefs.putDouble(k, b.doubleValue()));
        }
    }
}
