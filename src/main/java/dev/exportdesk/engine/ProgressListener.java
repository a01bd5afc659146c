package dev.exportdesk.engine;

import dev.exportdesk.engine.runs.RunProgress;

/** Receives progress from a running export, on the engine's thread; must return quickly. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(RunProgress progress);
}
