package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up offer to resume unfinished runs says why each one did not finish, from its stored
 * state and reason: a run the source failed is not blamed on a stop. Injects: the source's reader
 * loses its SELECT right (a real source failure); a cancel, as the task view's Cancel does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeOfferTest {
    @TempDir
    Path dir;

    @Test
    void eachUnfinishedRunIsOfferedWithItsOwnReason() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 500)) {
            GuardedEngine admin = fixture.engine(fixture.admin);
            grant(fixture, "REVOKE");
            RunRecord failed = admin.run("orders-to-acme", ProgressListener.NONE).run();
            grant(fixture, "GRANT");
            RunRecord cancelled = admin.run("customers-to-acme", ProgressListener.NONE, () -> true).run();
            assertThat(failed.state()).isEqualTo(RunState.FAILED);
            assertThat(failed.error()).startsWith("cannot read from the source: ");

            RecordingDialogs dialogs = new RecordingDialogs();
            dialogs.answer = false;
            new ExportsViewModel(fixture.context(fixture.admin, new DirectTaskRunner(), dialogs, Runnable::run))
                    .offerResumeOfUnfinished();
            assertThat(dialogs.confirmations).singleElement().asString()
                    .startsWith("Unfinished runs found: 2 runs did not finish:")
                    .contains("• orders-to-acme #1: failed: " + failed.error().lines().findFirst().orElseThrow())
                    .contains("• customers-to-acme #1: cancelled by admin")
                    .doesNotContain("stopped").doesNotContain("interrupted")
                    .endsWith("Resume them now?");
        }
    }

    /** Grants or revokes the demo source reader's right to read (as the shop's owner). */
    private static void grant(ConsoleFixture fixture, String verb) throws Exception {
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "")) {
            c.createStatement().execute(verb + " SELECT ON SCHEMA PUBLIC " + (verb.equals("GRANT") ? "TO" : "FROM")
                    + " reader");
        }
    }
}
