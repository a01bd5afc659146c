package dev.exportdesk.ui;

import java.util.List;
import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;
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

    /**
     * Keeps a split pane's dividers where the user left them. The pane is laid out several times
     * before the window has its final size, and at a small size the skin pushes a divider aside to
     * honour its sides' minimum sizes; saving every move kept that push, so the divider crept at each
     * restart (0.296 → 0.235 → 0.154). Only a drag of a divider is saved, and the saved place is put
     * back whenever the pane is resized.
     */
    public void track(String key, SplitPane pane) {
        var dividers = pane.getDividers();
        double[] wanted = new double[dividers.size()];
        for (int i = 0; i < dividers.size(); i++) {
            wanted[i] = prefs.getDouble(key(key, i), dividers.get(i).getPosition());
            dividers.get(i).setPosition(wanted[i]);
        }
        javafx.beans.InvalidationListener restore = o -> {
            for (int i = 0; i < wanted.length; i++) {
                dividers.get(i).setPosition(wanted[i]);
            }
        };
        pane.widthProperty().addListener(restore);
        pane.heightProperty().addListener(restore);
        boolean[] dragging = {false};
        pane.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> dragging[0] = onDivider(e.getPickResult().getIntersectedNode(),
                pane));
        pane.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (!dragging[0]) {
                return;
            }
            dragging[0] = false;
            for (int i = 0; i < wanted.length; i++) {
                wanted[i] = dividers.get(i).getPosition();
                put(key(key, i), wanted[i]);
            }
        });
    }

    private static String key(String key, int divider) {
        return "split." + key + "." + divider;
    }

    /** Whether {@code node} is (part of) a divider of {@code pane} itself, not of a split pane inside it. */
    private static boolean onDivider(Node node, SplitPane pane) {
        for (Node n = node; n != null && n != pane; n = n.getParent()) {
            if (n.getStyleClass().contains("split-pane-divider")) {
                return n.getParent() == pane;
            }
        }
        return false;
    }

    private void put(String key, double value) {
        try {
            prefs.putDouble(key, value);
        } catch (IllegalStateException removed) {
            // the preferences node was removed meanwhile (tests): nothing to keep
        }
    }
}
