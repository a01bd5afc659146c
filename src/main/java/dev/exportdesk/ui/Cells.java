package dev.exportdesk.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/** Small helpers for read-only table columns. */
public final class Cells {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** The widest a cell's tooltip grows before it wraps, in pixels. */
    public static final double TOOLTIP_WIDTH = 640;

    private Cells() {
    }

    public static <S, T> void value(TableColumn<S, T> column, Function<S, T> getter) {
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue() == null ? null
                : getter.apply(c.getValue())));
    }

    /**
     * Text cells that show their full text as a tooltip (for columns too narrow for a reason). Each
     * cell keeps one tooltip and changes its text: a tooltip is a popup window with a scene of its
     * own, too costly to build on every update while a run refreshes the table several times a second.
     */
    public static <S> void tooltips(TableColumn<S, String> column) {
        tooltips(column, null, null);
    }

    /**
     * As {@link #tooltips}, with a link before the text of each cell that has one: {@code link} is its
     * label, {@code onClick} gets the cell's row (for the text in full, one click away; a tooltip needs
     * the mouse held still and shows no more than fits the screen).
     */
    public static <S> void tooltips(TableColumn<S, String> column, String link, Consumer<S> onClick) {
        column.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private javafx.scene.control.Tooltip tip;
            private javafx.scene.control.Hyperlink details;

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                if (empty || item == null || item.isEmpty()) {
                    setTooltip(null);
                    setGraphic(null);
                    return;
                }
                if (tip == null) {
                    tip = new javafx.scene.control.Tooltip();
                    // a reason of several hundred characters as one line ran off the screen
                    tip.setWrapText(true);
                    tip.setMaxWidth(TOOLTIP_WIDTH);
                }
                tip.setText(item);
                setTooltip(tip);
                if (onClick != null) {
                    if (details == null) {
                        details = new javafx.scene.control.Hyperlink(link);
                        details.getStyleClass().add("cell-link");
                        details.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
                        details.setOnAction(e -> {
                            S row = getTableRow() == null ? null : getTableRow().getItem();
                            if (row != null) {
                                onClick.accept(row);
                            }
                        });
                    }
                    setGraphic(details);
                }
            }
        });
    }

    /** The widest count a column must draw whole: tens of millions (a run's rows, a chunk's bytes up to 64 MB). */
    private static final String WIDEST_COUNT = "88,888,888";
    /** The cell's padding on both sides, and some slack for a font a little wider than the one measured. */
    private static final double COUNT_PADDING = 24;

    /**
     * No column of {@code table} gets narrower than its heading, drawn in the headings' bold 13 px
     * (styles/exportdesk.css): in a real window "Changed/missing/late" was cut to "Changed/missing…"
     * and "Attempts" to "Attem…", hiding what the columns hold.
     */
    public static void wholeHeadings(TableView<?> table) {
        javafx.scene.text.Font bold = javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(),
                javafx.scene.text.FontWeight.BOLD, 13);
        for (TableColumn<?, ?> column : table.getColumns()) {
            javafx.scene.text.Text heading = new javafx.scene.text.Text(column.getText());
            heading.setFont(bold);
            double widest = heading.getLayoutBounds().getWidth() + COUNT_PADDING;
            column.setMinWidth(Math.max(column.getMinWidth(), widest));
            column.setPrefWidth(Math.max(column.getPrefWidth(), column.getMinWidth()));
        }
    }

    /**
     * Lets the columns of {@code table} share the width beyond their preferred sum, and scroll when
     * the table is narrower. Unconstrained, a 1920 px window left user names cut beside empty space;
     * constrained at 1024 px, every column would be squeezed. Columns with a {@code maxWidth} stop
     * growing there, so the room goes to the names.
     */
    public static void fillWhenWide(TableView<?> table) {
        double wanted = table.getColumns().stream().mapToDouble(TableColumn::getPrefWidth).sum() + SCROLL_BAR_ROOM;
        table.widthProperty().addListener((o, was, now) -> table.setColumnResizePolicy(now.doubleValue() > wanted
                ? TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS : TableView.UNCONSTRAINED_RESIZE_POLICY));
    }

    /** A vertical scroll bar's width and the table's border. */
    private static final double SCROLL_BAR_ROOM = 20;

    /** The widest time {@link #time} writes. */
    private static final String WIDEST_TIME = "8888-88-88 88:88:88";

    /** A column of {@link #time} values never gets narrower than a whole time: "2026-12-04 15…" hid the time of day. */
    public static <S, T> void times(TableColumn<S, T> column) {
        double widest = new javafx.scene.text.Text(WIDEST_TIME).getLayoutBounds().getWidth() + COUNT_PADDING;
        column.setMinWidth(Math.max(column.getMinWidth(), widest));
    }

    /**
     * Counts with digit grouping ("57,220", as the task view writes them), right-aligned so that
     * magnitudes line up down the column (style class {@code count}). The column never gets narrower
     * than a grouped count in the tens of millions: the numbers auditors compare were cut to "2,266,…".
     */
    public static <S, T extends Number> void counts(TableColumn<S, T> column) {
        column.getStyleClass().add("count");
        double widest = new javafx.scene.text.Text(WIDEST_COUNT).getLayoutBounds().getWidth() + COUNT_PADDING;
        column.setMinWidth(Math.max(column.getMinWidth(), widest));
        column.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : String.format("%,d", item.longValue()));
            }
        });
    }

    /**
     * Shows {@code rows} in {@code table} through {@link LiveRows} (rows with the same {@code key}
     * are swapped in place). Sorting by the table's columns happens upstream of the mirror, so a row
     * whose sort key changes in place still moves to its place; the table's own sort is switched off.
     */
    public static <S> void showLive(TableView<LiveRow<S>> table, ObservableList<S> rows, Function<S, ?> key) {
        SortedList<S> sorted = new SortedList<>(rows);
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(() -> {
            Comparator<LiveRow<S>> columns = table.getComparator();
            return columns == null ? null : (a, b) -> columns.compare(new LiveRow<>(a), new LiveRow<>(b));
        }, table.comparatorProperty()));
        LiveRows<S> live = new LiveRows<>(sorted, key);
        // the table holds the mirror (and so the sorted view): nothing else does, and the sorted
        // view listens to the model's list only weakly
        table.getProperties().put(LiveRows.class, live);
        table.setItems(live.rows());
        table.setSortPolicy(t -> true);
    }

    /** A column of a {@link LiveRows} table: the cell follows its row's value as it is swapped. */
    public static <S, T> void live(TableColumn<LiveRow<S>, T> column, Function<S, T> getter) {
        column.setCellValueFactory(c -> c.getValue() == null ? null : c.getValue().property().map(getter));
    }

    /**
     * Rows of a {@link LiveRows} table styled from their value, again whenever the value is swapped
     * in place (a row's {@code updateItem} runs only when the row shows another item).
     */
    public static <S> TableRow<LiveRow<S>> styledRow(BiConsumer<TableRow<LiveRow<S>>, S> style) {
        TableRow<LiveRow<S>> row = new TableRow<>();
        ChangeListener<S> restyle = (o, a, now) -> style.accept(row, now);
        // the item holds the listener weakly and the row strongly: a row the table discards must not
        // stay attached to the item it showed last
        row.getProperties().put(ChangeListener.class, restyle);
        follow(row.itemProperty(), new WeakChangeListener<>(restyle), v -> style.accept(row, v));
        return row;
    }

    /**
     * Calls {@code onValue} with the selected row's value: when the selection changes and when the
     * selected row's value is swapped in place.
     */
    public static <S> void selectedValue(TableView<LiveRow<S>> table, Consumer<S> onValue) {
        follow(table.getSelectionModel().selectedItemProperty(), (o, a, now) -> onValue.accept(now), onValue);
    }

    /**
     * Gives {@code onValue} the value of the row {@code holder} holds whenever it holds another row,
     * and keeps {@code swapped} listening to that row's value alone.
     */
    private static <S> void follow(ObservableValue<LiveRow<S>> holder, ChangeListener<S> swapped,
                                   Consumer<S> onValue) {
        holder.addListener((o, before, now) -> {
            if (before != null) {
                before.property().removeListener(swapped);
            }
            if (now != null) {
                now.property().addListener(swapped);
            }
            onValue.accept(now == null ? null : now.get());
        });
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? d.toMinutes() + " min" : d.toHours() + " h";
    }

    /** "lag / SLO" of a contract's delivery; the lag alone where it has no SLO, nothing before a delivery. */
    public static String lag(Duration lag, Duration max) {
        if (lag == null) {
            return "";
        }
        return duration(lag) + (max == null ? "" : " / " + duration(max));
    }

    /** A byte count for people: B, KiB, MiB or GiB. */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format("%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format("%.1f GiB", b / (1024.0 * 1024 * 1024));
    }
}
