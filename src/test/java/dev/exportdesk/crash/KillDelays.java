package dev.exportdesk.crash;

import java.util.Random;

/**
 * Random delays before a SIGKILL that adapt to the machine: a child that finished before its kill
 * narrows the next delays, so a fast machine still sees kills land mid-run instead of a test that
 * counts too few of them (CI's faster machine once let a fixed 0.8–4.8 s window miss).
 */
final class KillDelays {
    private static final int FLOOR_MS = 400;
    private final Random random;
    private final int minMs;
    private int spreadMs;

    KillDelays(Random random, int minMs, int spreadMs) {
        this.random = random;
        this.minMs = minMs;
        this.spreadMs = spreadMs;
    }

    long next() {
        return minMs + random.nextInt(Math.max(1, spreadMs));
    }

    /** The child ended before its kill: the runs are quicker than the window assumed. */
    void missed() {
        spreadMs = Math.max(FLOOR_MS, spreadMs / 2);
    }
}
