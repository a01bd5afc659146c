package dev.exportdesk.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.SessionEndedException;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.ConsoleTestSupport;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.contracts.ContractsViewModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open console follows an admin's changes, without a toolkit: the status bar shows the new role
 * when a screen is shown, a screen's permissions follow at its refresh, and a disabled user is told
 * once, in words, that the session has ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShellViewModelTest {
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    final RecordingDialogs dialogs = new RecordingDialogs();
    final Preferences prefs = ConsoleTestSupport.freshPrefs();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
    }

    @AfterEach
    void close() {
        fixture.close();
        ConsoleTestSupport.dropPrefs(prefs);
    }

    @Test
    void theOpenConsoleFollowsRoleChangesAndTellsADisabledUserOnce() {
        User otto = fixture.user("otto", Role.OPERATOR);
        ConsoleContext context = fixture.context(otto, new DirectTaskRunner(), dialogs, Runnable::run);
        ShellViewModel shell = new ShellViewModel(context, prefs);
        ContractsViewModel contracts = new ContractsViewModel(context);
        assertThat(shell.userProperty().get()).isEqualTo("otto (operator)");
        assertThat(contracts.canEditProperty().get()).isFalse();

        fixture.users.changeRole(fixture.admin, "otto", Role.STEWARD);
        shell.refreshUser();
        assertThat(shell.userProperty().get()).isEqualTo("otto (steward)");
        contracts.refresh();
        assertThat(contracts.canEditProperty().get()).as("may edit contracts now").isTrue();

        fixture.users.setDisabled(fixture.admin, "otto", true);
        shell.refreshUser();
        shell.refreshUser();
        assertThat(shell.userProperty().get()).isEqualTo("otto — session ended");
        assertThat(dialogs.errors).singleElement().isInstanceOf(SessionEndedException.class);
        contracts.refresh();
        assertThat(dialogs.errors).as("the screen's own error, in the same words").hasSize(2)
                .allSatisfy(e -> assertThat(e).hasMessageStartingWith("Your account was disabled by an administrator"));
    }

    /** Issue 12 #5: the status bar says how big the store is, how fast it grows and what is free, not "healthy". */
    @Test
    void theStatusBarShowsTheStoresSizeGrowthAndFreeSpaceAndWarnsInWords() {
        User ada = fixture.user("ada", Role.AUDITOR);
        fixture.storeThresholds = new StoreHealth.Thresholds(0, 0, Duration.ZERO);
        ShellViewModel calm = new ShellViewModel(fixture.context(ada, new DirectTaskRunner(), dialogs, Runnable::run),
                prefs);
        calm.checkHealth();
        assertThat(calm.healthProperty().get())
                .matches("state store: \\d+(\\.\\d)? [kM]B, \\d+(\\.\\d)? [kMGT]B free");
        assertThat(calm.healthWarningProperty().get()).isFalse();
        assertThat(calm.healthTipProperty().get()).isEqualTo(ShellViewModel.HEALTH_TIP);

        fixture.storeThresholds = new StoreHealth.Thresholds(Long.MAX_VALUE, 0.10, StoreHealth.FILL_HORIZON);
        ShellViewModel warned = new ShellViewModel(fixture.context(ada, new DirectTaskRunner(), dialogs,
                Runnable::run), prefs);
        warned.checkHealth();
        assertThat(warned.healthProperty().get()).startsWith("state store: ").endsWith(" free");
        assertThat(warned.healthWarningProperty().get()).isTrue();
        assertThat(warned.healthTipProperty().get()).startsWith("Only ")
                .contains("is free on the volume holding the state store", "move the workspace to a larger volume");
    }
}
