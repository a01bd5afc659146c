package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The words a run's mode is stored and delivered as: partners read them in every manifest. */
class RunModeTest {

    @Test
    void theWordsInTheStoreAndTheManifestsNeverChange() {
        assertThat(Arrays.stream(RunMode.values()).map(RunMode::wire))
                .containsExactly("full", "incremental", "correction", "resend");
        for (RunMode m : RunMode.values()) {
            assertThat(RunMode.of(m.wire())).isSameAs(m);
        }
        assertThatThrownBy(() -> RunMode.of("FULL")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown run mode: FULL");
    }
}
