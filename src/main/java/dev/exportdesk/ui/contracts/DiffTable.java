package dev.exportdesk.ui.contracts;

import dev.exportdesk.ui.Styles;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;

/**
 * The console's one side-by-side diff: a table of {@link LineDiff} rows, older text left and newer
 * right, changed rows highlighted. Contract versions and the audit log's before/after both show it.
 */
public final class DiffTable {
    private DiffTable() {
    }

    /** Makes {@code table} (style class {@code diff-table}) draw diff rows in {@code left} and {@code right}. */
    public static void setUp(TableView<LineDiff.Row> table, TableColumn<LineDiff.Row, String> left,
                             TableColumn<LineDiff.Row, String> right) {
        left.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().left()));
        right.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().right()));
        // the two sides share the width, and a long line wraps within its half instead of being cut off
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        left.setCellFactory(c -> new WrappedLineCell());
        right.setCellFactory(c -> new WrappedLineCell());
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(LineDiff.Row r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll(Styles.DIFF_ADDED, Styles.DIFF_REMOVED);
                if (!empty && r != null && r.kind() != LineDiff.Kind.SAME) {
                    getStyleClass().add(r.kind() == LineDiff.Kind.REMOVED ? Styles.DIFF_REMOVED : Styles.DIFF_ADDED);
                }
            }
        });
    }

    /** A diff line shown whole: a text node wrapped at the column's width, so the row grows to fit it. */
    private static final class WrappedLineCell extends TableCell<LineDiff.Row, String> {
        private final Text text = new Text();

        WrappedLineCell() {
            text.getStyleClass().add(Styles.DIFF_TEXT);
            text.wrappingWidthProperty().bind(widthProperty().subtract(8));
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(String line, boolean empty) {
            super.updateItem(line, empty);
            text.setText(empty || line == null ? "" : line);
            setGraphic(empty ? null : text);
        }
    }
}
