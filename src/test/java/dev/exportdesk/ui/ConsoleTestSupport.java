package dev.exportdesk.ui;

import dev.exportdesk.access.User;
import dev.exportdesk.ui.shell.ShellView;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/** Shared steps for the console's TestFX flows: build the real console window, wait for conditions. */
public final class ConsoleTestSupport {
    private ConsoleTestSupport() {
    }

    public static Preferences freshPrefs() {
        Preferences p = Preferences.userRoot().node("dev/exportdesk/test/" + UUID.randomUUID());
        // Monocle's headless screen is 1280x800; a larger window overflows its frame buffer
        p.putDouble("window.width", 1280);
        p.putDouble("window.height", 800);
        p.putDouble("window.x", 0);
        p.putDouble("window.y", 0);
        return p;
    }

    public static void dropPrefs(Preferences prefs) {
        try {
            prefs.removeNode();
        } catch (BackingStoreException | IllegalStateException ignored) {
            // best effort: test preferences are throwaway
        }
    }

    /** The console as ConsoleApp builds it after sign-in, for {@code user}, on the FX thread. */
    public static ShellView openConsole(Stage stage, ConsoleFixture fx, User user, FxTaskRunner tasks,
                                        RecordingDialogs dialogs, Preferences prefs) {
        ConsoleContext context = fx.context(user, tasks, dialogs, Platform::runLater);
        return ConsoleWindow.show(stage, context, tasks, prefs);
    }

    /** Waits (bounded) until {@code condition} holds, checking on the FX thread. */
    public static void await(int seconds, String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                WaitForAsyncUtils.waitForFxEvents();
                return WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get();
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what, e);
        }
    }

    public static void fx(Runnable r) {
        WaitForAsyncUtils.waitForAsyncFx(10_000, r);
    }

    public static <T> T fxGet(java.util.concurrent.Callable<T> c) {
        return WaitForAsyncUtils.waitForAsyncFx(10_000, c);
    }

    /**
     * Hides every window but {@code keep}: one test's leftover dialog or window would otherwise be
     * the one the next test's lookups and clicks find (tests share one toolkit in the CI's JVM).
     */
    public static void closeWindowsBut(javafx.stage.Window keep) {
        fx(() -> javafx.stage.Window.getWindows().stream().filter(w -> w != keep).toList()
                .forEach(javafx.stage.Window::hide));
    }

    /** The pane of the dialog now showing, or null (call on the FX thread). */
    public static javafx.scene.control.DialogPane dialogPane() {
        for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
            if (w instanceof javafx.stage.Stage s && s.isShowing() && s.getScene() != null
                    && s.getScene().getRoot() instanceof javafx.scene.control.DialogPane p) {
                return p;
            }
        }
        return null;
    }
}
