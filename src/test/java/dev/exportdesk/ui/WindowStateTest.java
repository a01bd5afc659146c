package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

/** Where the console's window opens, from what was saved and the screens there are now (no toolkit). */
class WindowStateTest {
    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1400, 900);
    private static final Rectangle2D RIGHT_MONITOR = new Rectangle2D(1400, 0, 1920, 1080);

    @Test
    void nothingSavedCentresTheDefaultSizeOnThePrimaryScreen() {
        assertThat(WindowState.placement(1280, 800, Double.NaN, Double.NaN, LAPTOP, List.of(LAPTOP)))
                .isEqualTo(new Rectangle2D(60, 50, 1280, 800));
    }

    @Test
    void aSavedPlaceOnAScreenIsKeptAndPulledInsideIt() {
        assertThat(WindowState.placement(1000, 600, 1500, 100, LAPTOP, List.of(LAPTOP, RIGHT_MONITOR)))
                .as("on the second monitor, as saved").isEqualTo(new Rectangle2D(1500, 100, 1000, 600));
        assertThat(WindowState.placement(1280, 800, 480, 176, LAPTOP, List.of(LAPTOP)))
                .as("running off the bottom right: moved in").isEqualTo(new Rectangle2D(120, 100, 1280, 800));
    }

    @Test
    void aPlaceOnAMonitorNoLongerThereIsCentredOnThePrimaryAndTooBigIsShrunk() {
        assertThat(WindowState.placement(1280, 800, 1500, 100, LAPTOP, List.of(LAPTOP)))
                .isEqualTo(new Rectangle2D(60, 50, 1280, 800));
        assertThat(WindowState.placement(1920, 1080, 10, 10, LAPTOP, List.of(LAPTOP)))
                .isEqualTo(new Rectangle2D(0, 0, 1400, 900));
    }
}
