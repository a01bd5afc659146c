package dev.exportdesk.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Finds a view's FXML by name (afterburner.fx style): {@code dev.exportdesk.ui.runs.RunDetailView}
 * loads {@code /fxml/dev/exportdesk/ui/runs/RunDetail.fxml} with the view object as its controller.
 */
public final class ViewLoader {
    private ViewLoader() {
    }

    public static String fxmlPath(Class<?> viewClass) {
        String simple = viewClass.getSimpleName();
        if (!simple.endsWith("View")) {
            throw new IllegalArgumentException(simple + " is not named *View");
        }
        String pkg = viewClass.getPackageName().replace('.', '/');
        return "/fxml/" + pkg + "/" + simple.substring(0, simple.length() - 4) + ".fxml";
    }

    public static Parent load(Object view) {
        String path = fxmlPath(view.getClass());
        URL url = view.getClass().getResource(path);
        if (url == null) {
            throw new IllegalStateException("missing FXML " + path + " for " + view.getClass().getName());
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(view);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + path + ": " + e.getMessage(), e);
        }
    }
}
