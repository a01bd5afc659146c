package dev.exportdesk.cdc;

/**
 * One change to the captured table, in canonical values in the contract's column order.
 * <ul>
 *   <li>{@code INSERT}, {@code UPDATE}: every exported column of the new row.</li>
 *   <li>{@code UPDATE} that changed the key: {@code oldKey} holds the previous key values (the
 *       engine ships a delete of the old key), otherwise null.</li>
 *   <li>{@code DELETE}: the key columns are set; other columns hold the old row's values only when
 *       the table's replica identity is FULL, and are null otherwise.</li>
 *   <li>{@code TRUNCATE}: no values; {@code cascade}/{@code restartIdentity} as the statement said.</li>
 * </ul>
 */
public record Change(Op op, Object[] values, Object[] oldKey, boolean cascade, boolean restartIdentity) {
    public enum Op { INSERT, UPDATE, DELETE, TRUNCATE }

    static Change row(Op op, Object[] values, Object[] oldKey) {
        return new Change(op, values, oldKey, false, false);
    }

    static Change truncate(boolean cascade, boolean restartIdentity) {
        return new Change(Op.TRUNCATE, null, null, cascade, restartIdentity);
    }
}
