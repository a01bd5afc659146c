package dev.exportdesk.ui;

import dev.exportdesk.access.GuardedEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every screen gets through its constructor (Bisq 2's ServiceProvider): the engine as the
 * signed-in user may use it, the task runner, dialogs, engine events and the UI-thread executor.
 * Built once by the composition root ({@link ConsoleApp}); tests build their own.
 */
public record ConsoleContext(Path workspace, GuardedEngine engine, TaskRunner tasks, DialogService dialogs,
                             RunEvents events, Executor uiThread, Clock clock) {
}
