package dev.exportdesk.ui.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.TeamGuard;
import dev.exportdesk.store.LeaseRow;
import dev.exportdesk.store.LeaseState;
import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.WorkerRecord;
import dev.exportdesk.store.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the Workers view says of a worker: heartbeat age, silence, holdings, and store text made safe. */
class WorkerRowTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void ageInWords() {
        assertThat(WorkerRow.ago(Duration.ofSeconds(3))).isEqualTo("3 s ago");
        assertThat(WorkerRow.ago(Duration.ofSeconds(150))).isEqualTo("2 min ago");
        assertThat(WorkerRow.ago(Duration.ofHours(5))).isEqualTo("5 h ago");
        assertThat(WorkerRow.ago(Duration.ofDays(3))).isEqualTo("3 d ago");
        assertThat(WorkerRow.ago(Duration.ofSeconds(-2))).as("a store clock a little behind").isEqualTo("0 s ago");
    }

    @Test
    void silentWhenItsLeaseExpiredOrARunWasTakenFromItOrItStoppedBeating() {
        WorkerRecord fresh = worker("a", NOW.minusSeconds(2), WorkerState.RUNNING);
        LeaseRow live = lease("a", NOW.plusSeconds(20));
        assertThat(row(fresh, List.of(live), List.of()).silent()).isFalse();
        assertThat(row(fresh, List.of(live), List.of()).holds()).isEqualTo("items #4 (epoch 7)");
        LeaseRow range = new LeaseRow("r1", "items", 4, 2, "a", LeaseState.HELD, NOW, NOW.plusSeconds(20), 3);
        assertThat(row(fresh, List.of(live, range), List.of()).holds())
                .isEqualTo("items #4 (epoch 7), items #4 range 3 (epoch 2)");
        assertThat(row(fresh, List.of(lease("a", NOW.minusSeconds(1))), List.of()).silent()).isTrue();
        // taken over after its last heartbeat: the store found its lease expired
        assertThat(row(fresh, List.of(), List.of(takeover("a", NOW.minusSeconds(1)))).silent()).isTrue();
        assertThat(row(fresh, List.of(), List.of(takeover("a", NOW.minusSeconds(5)))).silent()).isFalse();
        assertThat(row(worker("a", NOW.minusSeconds(31), WorkerState.RUNNING), List.of(), List.of()).heartbeat())
                .isEqualTo("31 s ago — silent");
        assertThat(row(worker("a", NOW.minusSeconds(600), WorkerState.STOPPED), List.of(), List.of()).silent())
                .as("a stopped worker is not silent").isFalse();
    }

    @Test
    void storeTextIsMadeSafe() {
        WorkerRecord w = new WorkerRecord("a\u001b[2J", "host\u202Eevil", 1, NOW, NOW, WorkerState.RUNNING);
        WorkerRow r = row(w, List.of(), List.of());
        assertThat(r.name()).isEqualTo("a\uFFFD[2J");
        assertThat(r.host()).isEqualTo("host\uFFFDevil");
    }

    private static WorkerRow row(WorkerRecord w, List<LeaseRow> held, List<LeaseTakeover> takeovers) {
        return WorkerRow.of(new TeamGuard.Overview(NOW, List.of(w), held, takeovers, List.of())).get(0);
    }

    private static WorkerRecord worker(String name, Instant beat, WorkerState state) {
        return new WorkerRecord(name, "vm", 42, NOW.minusSeconds(3600), beat, state);
    }

    private static LeaseRow lease(String holder, Instant expires) {
        return new LeaseRow("r1", "items", 4, 7, holder, LeaseState.HELD, NOW.minusSeconds(30), expires);
    }

    private static LeaseTakeover takeover(String from, Instant at) {
        return new LeaseTakeover("r1", "items", 4, 8, from, "b", at);
    }
}
