package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.RunRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The request line under the Exports toolbar, through a request's states; the worker's words made safe. */
class TeamRequestsTest {
    private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void followsTheRequestThroughItsStates() {
        assertThat(TeamRequests.describe("Run now of items", request(RunRequest.State.PENDING, null, null)))
                .isEqualTo("Run now of items asked — waiting for a worker");
        assertThat(TeamRequests.describe("Run now of items", request(RunRequest.State.TAKEN, "a", null)))
                .isEqualTo("Run now of items taken by worker a");
        assertThat(TeamRequests.describe("Run now of items", request(RunRequest.State.DONE, "b", "COMPLETED")))
                .isEqualTo("Run now of items done by worker b: COMPLETED");
        assertThat(TeamRequests.describe("Cancel of items #1", request(RunRequest.State.FAILED, null,
                "not running\u001b]0;x\u0007"))).isEqualTo("Cancel of items #1 failed: not running\uFFFD]0;x\uFFFD");
    }

    private static RunRequest request(RunRequest.State state, String takenBy, String outcome) {
        return new RunRequest("id", RunRequest.Kind.RUN, "items", null, "otis", AT, state, takenBy,
                state == RunRequest.State.DONE || state == RunRequest.State.FAILED ? AT : null, outcome);
    }
}
