package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Exports and Drift & health screens show a contract's delivery lag the same way. */
class CellsLagTest {
    @Test
    void aContractWithoutAnSloShowsItsLagAloneNotADanglingSlash() {
        assertThat(Cells.lag(Duration.ofSeconds(17), null)).isEqualTo("17 s");
        assertThat(Cells.lag(Duration.ofSeconds(18), Duration.ofHours(24))).isEqualTo("18 s / 24 h");
        assertThat(Cells.lag(null, Duration.ofHours(1))).isEmpty();
    }
}
