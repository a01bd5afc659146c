package dev.exportdesk.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;

/** Small helpers for read-only table columns. */
public final class Cells {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

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
        column.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private javafx.scene.control.Tooltip tip;

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                if (empty || item == null || item.isEmpty()) {
                    setTooltip(null);
                    return;
                }
                if (tip == null) {
                    tip = new javafx.scene.control.Tooltip();
                }
                tip.setText(item);
                setTooltip(tip);
            }
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
}
