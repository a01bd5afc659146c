package dev.exportdesk.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.contracts.LineDiff;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Audit screen's date range and before/after diff: range and action are asked of the store
 * (matches are found behind a full page of newer entries), the text filters what came back, an
 * impossible range is refused without a query, and a selected entry shows its safe-text diff.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditRangeViewModelTest {
    @TempDir
    Path dir;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final CountingTasks tasks = new CountingTasks();

    @Test
    void theRangeIsAskedOfTheStoreAndCombinesWithTheFilters() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 0)) {
            StateStore store = fixture.workspace.store();
            store.updateDurably(c -> {
                store.audit().append(c, ago(40), "admin", "user.role", "old-bob", "operator", "auditor");
                store.audit().append(c, ago(3), "admin", "user.role", "bob", "auditor", "steward");
                store.audit().append(c, ago(3), "admin", "user.disable", "eve", null, null);
                // a full page of newer entries: a range applied to the page read would never reach old-bob
                for (int i = 0; i < AuditViewModel.LIMIT; i++) {
                    store.audit().append(c, now.minusSeconds(60), "admin", "source.test", "source " + i, null, null);
                }
            });
            AuditViewModel vm = model(fixture);
            vm.refresh();
            assertThat(vm.entries()).hasSize(AuditViewModel.LIMIT).noneMatch(e -> e.subject().equals("old-bob"));
            assertThat(vm.summaryProperty().get()).contains("the newest " + AuditViewModel.LIMIT);

            vm.periodProperty().set(AuditRange.Period.LAST_7_DAYS);
            vm.actionProperty().set("user.role");
            assertThat(vm.entries()).as("who and what are asked of the store too")
                    .extracting(AuditEntry::subject).containsExactly("bob");
            assertThat(vm.actions()).as("the choices stay").contains(AuditViewModel.ANY, "source.test");

            vm.fromProperty().set(day(45));
            assertThat(vm.periodProperty().get()).as("a picked day leaves the quick period")
                    .isEqualTo(AuditRange.Period.DATES);
            vm.toProperty().set(day(35));
            assertThat(vm.entries()).extracting(AuditEntry::subject).containsExactly("old-bob");
            assertThat(vm.summaryProperty().get()).isEqualTo("1 of 1 entries");

            vm.periodProperty().set(AuditRange.Period.ANY);
            assertThat(vm.fromProperty().get()).isNull();
            assertThat(vm.toProperty().get()).isNull();
        }
    }

    @Test
    void anImpossibleRangeIsRefusedWithoutAQuery() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 0)) {
            AuditViewModel vm = model(fixture);
            vm.refresh();
            assertThat(vm.entries()).isNotEmpty();
            vm.toProperty().set(day(10));
            int before = tasks.submitted;
            vm.fromProperty().set(day(5));
            assertThat(vm.rangeProblemProperty().get()).contains("is after").contains(day(10).toString());
            assertThat(tasks.submitted).as("no query for an impossible range").isEqualTo(before);
            assertThat(vm.entries()).isEmpty();
            vm.fromProperty().set(day(10));
            assertThat(vm.rangeProblemProperty().get()).isEmpty();
            assertThat(tasks.submitted).isEqualTo(before + 1);
        }
    }

    @Test
    void aSelectedEntryShowsItsBeforeAndAfterAsSafeText() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 0)) {
            StateStore store = fixture.workspace.store();
            String wide = "x".repeat(500);
            store.updateDurably(c -> {
                store.audit().append(c, ago(1), "admin", "contract.import", "orders v2",
                        "{\n  \"name\" : \"orders\",\n  \"version\" : 1,\n  \"note\" : \"" + wide + "\"\n}",
                        "{\n  \"name\" : \"orders\",\n  \"version\" : 2,\n  \"note\" : \"" + wide + "\"\n}");
                store.audit().append(c, ago(1), "admin", "user.role", "bob", "operator\u001b[2J", "auditor");
            });
            AuditViewModel vm = model(fixture);
            vm.refresh();
            vm.selectedProperty().set(entry(vm, "orders v2"));
            assertThat(vm.diff().rows()).filteredOn(r -> r.kind() != LineDiff.Kind.SAME).singleElement()
                    .isEqualTo(new LineDiff.Row("  \"version\" : 1,", "  \"version\" : 2,", LineDiff.Kind.CHANGED));
            assertThat(vm.diff().rows()).as("long values kept whole")
                    .anyMatch(r -> r.left().contains(wide) && r.right().contains(wide));
            assertThat(vm.diff().summaryProperty().get()).isEqualTo("1 line(s) differ.");

            vm.selectedProperty().set(entry(vm, "bob"));
            assertThat(vm.diff().rows()).singleElement().satisfies(r -> {
                assertThat(r.left()).isEqualTo("operator\uFFFD[2J");
                assertThat(r.right()).isEqualTo("auditor");
            });
            vm.selectedProperty().set(null);
            assertThat(vm.diff().rows()).isEmpty();
        }
    }

    private AuditViewModel model(ConsoleFixture fixture) {
        ConsoleContext ctx = new ConsoleContext(fixture.workspace.root(), fixture.engine(fixture.admin), tasks,
                new RecordingDialogs(), new RunEvents(Runnable::run), Runnable::run, Clock.fixed(now, ZoneOffset.UTC));
        return new AuditViewModel(ctx, new CsvAuditReport());
    }

    private static AuditEntry entry(AuditViewModel vm, String subject) {
        return vm.entries().stream().filter(e -> e.subject().equals(subject)).findFirst().orElseThrow();
    }

    private Instant ago(int days) {
        return now.minus(Duration.ofDays(days));
    }

    private LocalDate day(int daysAgo) {
        return LocalDate.ofInstant(ago(daysAgo), ZoneOffset.UTC);
    }

    /** Runs on the calling thread and counts what was asked of it. */
    private static final class CountingTasks implements TaskRunner {
        private final DirectTaskRunner direct = new DirectTaskRunner();
        int submitted;

        @Override
        public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            submitted++;
            return direct.submit(title, job, onSuccess, onFailure);
        }
    }
}
