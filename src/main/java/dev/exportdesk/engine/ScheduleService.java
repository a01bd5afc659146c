package dev.exportdesk.engine;

import dev.exportdesk.store.ScheduleControl;
import dev.exportdesk.store.ScheduleState;
import dev.exportdesk.store.ScheduleStateRepository;
import dev.exportdesk.text.Text;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pausing and enabling a contract's schedule: operational state in the state store, never a new
 * contract version. A paused contract is not started by {@code run --due} nor by the console's
 * schedule ({@link DueWork} leaves it out), while a person's {@code run CONTRACT} or Run now still
 * starts it. Each change is audited ({@code contract.pause}, {@code contract.enable}) with the actor.
 */
public final class ScheduleService {
    private final EngineContext ctx;
    private final ContractService contracts;

    public ScheduleService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    /**
     * Pauses the contract's schedule; {@code reason} is optional free text, one line of at most
     * {@link ScheduleStateRepository#MAX_REASON} characters, cleaned of control and bidi characters.
     * Pausing a paused contract replaces who, when and why.
     */
    public ScheduleControl pause(String contract, String reason) {
        return change(contract, ScheduleState.PAUSED, reason(reason));
    }

    /** Lets the schedule start the contract again (a no-op, still audited, when it was not paused). */
    public ScheduleControl enable(String contract) {
        return change(contract, ScheduleState.ENABLED, null);
    }

    /** The contract's schedule state; empty: never paused. */
    public Optional<ScheduleControl> state(String contract) {
        contracts.export(contract, Optional.empty()); // names an unknown contract in words
        return ctx.store().inTransaction(c -> ctx.store().scheduleStates().find(c, contract));
    }

    /** Every contract's schedule state that was ever set, by name. */
    public Map<String, ScheduleControl> states() {
        return ctx.store().inTransaction(c -> ctx.store().scheduleStates().all(c));
    }

    private ScheduleControl change(String contract, ScheduleState state, String reason) {
        contracts.export(contract, Optional.empty());
        Instant now = ctx.now();
        ScheduleControl after = new ScheduleControl(contract, state, now, ctx.actor(), reason);
        // durable, like the audit entries of a session: a pause that is lost at a crash would let the schedule run
        return ctx.store().inDurableTransaction(c -> {
            String before = ctx.store().scheduleStates().find(c, contract).map(ScheduleService::describe)
                    .orElse(ScheduleState.ENABLED.name());
            ctx.store().scheduleStates().set(c, after);
            ctx.store().audit().append(c, now, ctx.actor(), state == ScheduleState.PAUSED ? "contract.pause"
                    : "contract.enable", contract, before, describe(after));
            return after;
        });
    }

    private static String describe(ScheduleControl s) {
        return s.state().name() + (s.reason() == null ? "" : ": " + s.reason());
    }

    private static String reason(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String clean = Text.safe(text.strip());
        if (clean.length() > ScheduleStateRepository.MAX_REASON) {
            throw new EngineException("the reason is " + clean.length() + " characters long; the limit is "
                    + ScheduleStateRepository.MAX_REASON);
        }
        return clean;
    }
}
