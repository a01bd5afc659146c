package dev.exportdesk.ui;

import java.util.List;
import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.SplitPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Remembers window size and position and split-pane dividers in {@link Preferences}. */
public final class WindowState {
    private final Preferences prefs;

    public WindowState(Preferences prefs) {
        this.prefs = prefs;
    }

    public void restore(Stage stage) {
        Rectangle2D at = placement(prefs.getDouble("window.width", 1280), prefs.getDouble("window.height", 800),
                prefs.getDouble("window.x", Double.NaN), prefs.getDouble("window.y", Double.NaN),
                Screen.getPrimary().getVisualBounds(),
                Screen.getScreens().stream().map(Screen::getVisualBounds).toList());
        stage.setX(at.getMinX());
        stage.setY(at.getMinY());
        stage.setWidth(at.getWidth());
        stage.setHeight(at.getHeight());
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
    }

    /**
     * Where the window goes: its saved size, shrunk to fit the screen, at its saved place pulled
     * inside that screen; centred on the primary screen when no place was saved or the saved one is
     * on no screen now (a monitor was unplugged). Without this the console opened where the small
     * sign-in window had been, running off the bottom right of the screen.
     */
    static Rectangle2D placement(double width, double height, double x, double y, Rectangle2D primary,
                                 List<Rectangle2D> screens) {
        // the saved place counts when the window's top-left corner (its title bar) is on a screen
        Rectangle2D screen = Double.isNaN(x) || Double.isNaN(y) ? null
                : screens.stream().filter(s -> s.contains(x, y)).findFirst().orElse(null);
        Rectangle2D on = screen == null ? primary : screen;
        double w = Math.min(width, on.getWidth());
        double h = Math.min(height, on.getHeight());
        if (screen == null) {
            return new Rectangle2D(on.getMinX() + (on.getWidth() - w) / 2, on.getMinY() + (on.getHeight() - h) / 2, w,
                    h);
        }
        return new Rectangle2D(Math.min(x, on.getMaxX() - w), Math.min(y, on.getMaxY() - h), w, h);
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
