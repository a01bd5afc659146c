package dev.exportdesk.store;

/** Whether the schedule may start a contract ({@code contract_schedule_states.state}). */
public enum ScheduleState {
    /** Started whenever its schedule says (the state of every contract never paused). */
    ENABLED,
    /** Never started by the schedule ({@code run --due}, the console's); a person may still run it. */
    PAUSED
}
