package dev.exportdesk.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.fs.OwnerOnly;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Cell;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeTableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnostic, off unless the JVM is started with {@code -Dexportdesk.ui.layoutReport=FILE}: twice a
 * second the console writes to FILE (JSON) the screen it shows and, for every showing window, its
 * size and every visible labelled control (labels, buttons, column headers, table cells…) with the
 * text it was given, the text it draws, whether that is cut ("…"), whether it reaches past the
 * window's edge and whether it sits in a viewport that clips and scrolls it (a table). The
 * real-window smoke test (RealWindowSmokeIT) reads it: Monocle-based tests do not see the fonts and
 * window sizes of a real desktop.
 *
 * <p>It only reads the scene graph and replaces that one file, named by whoever starts the process
 * (owner-only, atomically, only when the report changed); nothing in it reads a file or takes input.
 */
public final class LayoutReport {
    public static final String PROPERTY = "exportdesk.ui.layoutReport";
    private static final Logger LOG = LoggerFactory.getLogger(LayoutReport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Past the window's edge by more than this (pixels) counts as cut off; rounding moves edges by one. */
    private static final double EDGE_SLACK = 1.5;

    private final Path file;
    private final Supplier<String> screen;
    private Timeline timer;
    private String last = "";
    private boolean failed;

    private LayoutReport(Path file, Supplier<String> screen) {
        this.file = file;
        this.screen = screen;
    }

    /** The report the operator asked for with {@value #PROPERTY}, if any; {@code screen} names what is shown. */
    public static Optional<LayoutReport> fromSystemProperty(Supplier<String> screen) {
        String path = System.getProperty(PROPERTY);
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new LayoutReport(Path.of(path).toAbsolutePath(), screen));
    }

    /** Starts writing (call on the FX thread). */
    public void start() {
        timer = new Timeline(new KeyFrame(Duration.millis(500), e -> write()));
        timer.setCycleCount(Timeline.INDEFINITE);
        timer.play();
    }

    public void stop() {
        if (timer != null) {
            timer.stop();
        }
    }

    private void write() {
        String report = describe().toString();
        if (report.equals(last)) {
            return;
        }
        try {
            SafeFiles.replaceAtomically(file, report.getBytes(StandardCharsets.UTF_8),
                    OwnerOnly.fileAttributes(file.getParent()));
            last = report;
        } catch (IOException e) {
            if (!failed) {
                LOG.warn("layout report not written to {}: {}", file, e.toString());
                failed = true;
            }
        }
    }

    ObjectNode describe() {
        ObjectNode root = JSON.createObjectNode();
        root.put("screen", screen.get());
        ArrayNode windows = root.putArray("windows");
        for (Window w : Window.getWindows()) {
            if (w.isShowing() && w.getScene() != null) {
                windows.add(describe(w));
            }
        }
        return root;
    }

    private static ObjectNode describe(Window w) {
        ObjectNode o = JSON.createObjectNode();
        o.put("title", w instanceof Stage s ? s.getTitle() : w.getClass().getSimpleName());
        Scene scene = w.getScene();
        // a timeline runs before the pulse's CSS and layout: a label changed since the last pulse would
        // still draw its old text, and read as cut
        scene.getRoot().applyCss();
        scene.getRoot().layout();
        o.put("dark", scene.getStylesheets().stream().anyMatch(s -> s.endsWith(Styles.DARK_STYLESHEET)));
        o.put("x", w.getX());
        o.put("y", w.getY());
        o.put("width", w.getWidth());
        o.put("height", w.getHeight());
        o.put("sceneX", scene.getX());
        o.put("sceneY", scene.getY());
        o.put("sceneWidth", scene.getWidth());
        o.put("sceneHeight", scene.getHeight());
        ArrayNode labels = o.putArray("labels");
        visit(scene.getRoot(), scene, labels);
        return o;
    }

    private static void visit(Node node, Scene scene, ArrayNode out) {
        if (!node.isVisible() || node.getOpacity() == 0) {
            return;
        }
        if (node instanceof Labeled l) {
            describe(l, scene).ifPresent(out::add);
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                visit(child, scene, out);
            }
        }
    }

    private static Optional<ObjectNode> describe(Labeled l, Scene scene) {
        String text = l.getText();
        Text drawn = drawnText(l);
        if (text == null || text.isEmpty() || drawn == null) {
            return Optional.empty();
        }
        Bounds b = l.localToScene(l.getLayoutBounds());
        if (b.getMaxX() <= 0 || b.getMaxY() <= 0 || b.getMinX() >= scene.getWidth()
                || b.getMinY() >= scene.getHeight()) {
            return Optional.empty();
        }
        String shown = drawn.getText();
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", kind(l.getClass()));
        if (l.getId() != null) {
            o.put("id", l.getId());
        }
        o.put("text", text);
        o.put("shown", shown);
        o.put("cut", !shown.equals(text) && !shown.equals(withoutMnemonic(l, text)));
        o.put("pastEdge", b.getMaxX() > scene.getWidth() + EDGE_SLACK || b.getMaxY() > scene.getHeight() + EDGE_SLACK);
        o.put("tableCell", inDataView(l));
        o.put("scrolls", inViewport(l));
        Tooltip tip = l.getTooltip();
        o.put("tooltipHoldsText", tip != null && tip.getText() != null && tip.getText().contains(text));
        o.put("x", Math.round(b.getMinX()));
        o.put("y", Math.round(b.getMinY()));
        o.put("w", Math.round(b.getWidth()));
        return Optional.of(o);
    }

    /** The nearest named class: a cell factory's anonymous cell reports as a TableCell. */
    private static String kind(Class<?> c) {
        return c.getSimpleName().isEmpty() ? kind(c.getSuperclass()) : c.getSimpleName();
    }

    /** The skin's text node: what is actually drawn (the skin puts the elided string there). */
    private static Text drawnText(Labeled l) {
        for (Node child : l.getChildrenUnmodifiable()) {
            if (child instanceof Text t) {
                return t;
            }
        }
        return null;
    }

    private static String withoutMnemonic(Labeled l, String text) {
        if (!l.isMnemonicParsing()) {
            return text;
        }
        return text.replaceFirst("_(?=[^_])", "").replace("__", "_");
    }

    /** Inside something that clips and scrolls its content (a table's columns, a scroll pane). */
    private static boolean inViewport(Node n) {
        for (Parent p = n.getParent(); p != null; p = p.getParent()) {
            if (p instanceof TableView<?> || p instanceof TreeTableView<?> || p instanceof ListView<?>
                    || p instanceof javafx.scene.control.ScrollPane) {
                return true;
            }
        }
        return false;
    }

    /** A cell of a table or list holding data (a combo box's own cell is a control's label, not data). */
    private static boolean inDataView(Labeled l) {
        if (!(l instanceof Cell<?>)) {
            return false;
        }
        for (Parent p = l.getParent(); p != null; p = p.getParent()) {
            if (p instanceof TableView<?> || p instanceof TreeTableView<?> || p instanceof ListView<?>) {
                return true;
            }
        }
        return false;
    }
}
