package dev.exportdesk.ui;

import java.util.List;
import javafx.scene.Parent;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Paint;
import javafx.scene.paint.Stop;

/** WCAG contrast of what the themes draw: text colours against the fill behind them. */
final class Contrast {
    private Contrast() {
    }

    /** The topmost fill of a region, or of the nearest parent that has one (a gradient: its stops' average). */
    static Color fill(Region r) {
        List<BackgroundFill> fills = r.getBackground() == null ? List.of() : r.getBackground().getFills();
        if (fills.isEmpty()) {
            Parent p = r.getParent();
            return p instanceof Region pr ? fill(pr) : Color.WHITE;
        }
        return color(fills.get(fills.size() - 1).getFill());
    }

    static Color color(Paint p) {
        if (p instanceof Color c) {
            return c;
        }
        List<Stop> stops = ((LinearGradient) p).getStops();
        double r = 0;
        double g = 0;
        double b = 0;
        for (Stop s : stops) {
            r += s.getColor().getRed();
            g += s.getColor().getGreen();
            b += s.getColor().getBlue();
        }
        return Color.color(r / stops.size(), g / stops.size(), b / stops.size());
    }

    static double ratio(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * channel(c.getRed()) + 0.7152 * channel(c.getGreen()) + 0.0722 * channel(c.getBlue());
    }

    private static double channel(double v) {
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
