package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;

/** Asserts a run completed, and shows its error when it did not. */
public final class RunResultAssert {
    private RunResultAssert() {
    }

    public static RunResult completed(RunResult result) {
        assertThat(result.run().state()).as("run error: %s", result.run().error()).isEqualTo(RunState.COMPLETED);
        return result;
    }
}
