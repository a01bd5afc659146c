package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one execution of a contract's runs at a time in this process. The workspace lock keeps
 * other processes out; inside one console several threads could otherwise execute the same run
 * at once: Run now or Resume right after Cancel (a cancelled run stops only at its next progress
 * report), a scheduled start, a correction. Two executions of one run would both capture and
 * deliver it. When several workers share a PostgreSQL state store, a lease on the run's row in
 * the store is what has to take this over.
 */
public final class RunClaims {
    private final ConcurrentHashMap<String, String> held = new ConcurrentHashMap<>();

    /** A held claim; closing it lets the contract run again. */
    @FunctionalInterface
    public interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /** Claims {@code contract} for {@code actor}, or says in words who is running it. */
    public Claim claim(String contract, String actor) {
        String holder = held.putIfAbsent(contract, actor);
        if (holder != null) {
            throw new EngineException("contract \"" + contract + "\" is already running here (started by " + holder
                    + "); a cancelled run stops at its next progress report: try again once it has stopped");
        }
        return () -> held.remove(contract, actor);
    }
}
