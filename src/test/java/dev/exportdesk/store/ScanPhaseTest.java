package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The words a chunk's scan phase is stored as: stores written by earlier versions hold them. */
class ScanPhaseTest {

    @Test
    void theStoredWordsNeverChange() {
        assertThat(Arrays.stream(ScanPhase.values()).map(ScanPhase::wire))
                .containsExactly("LOOKBACK", "FORWARD", "STREAM", "CORRECTION");
        for (ScanPhase p : ScanPhase.values()) {
            assertThat(ScanPhase.of(ScanPhase.wire(p))).isSameAs(p);
        }
        assertThat(ScanPhase.of(null)).isNull();
        assertThat(ScanPhase.wire(null)).isNull();
    }

    @Test
    void anUnknownWordIsNamed() {
        assertThatThrownBy(() -> ScanPhase.of("lookback")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scan phase: lookback");
    }
}
