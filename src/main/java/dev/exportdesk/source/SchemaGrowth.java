package dev.exportdesk.source;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a table's exported columns relate to an earlier schema known only by its fingerprint: when
 * the earlier columns are, unchanged and in order, the first columns of the table today, the rest
 * were added after them (what {@code ALTER TABLE … ADD COLUMN} does). Anything else — a column
 * dropped, renamed, retyped, moved, or added in between — is not growth, and stops a run under any
 * policy. {@code before} reads exactly the earlier columns.
 */
public record SchemaGrowth(SourceSchema before, List<ColumnInfo> added) {

    public SchemaGrowth {
        added = List.copyOf(added);
    }

    /** The growth from the schema with fingerprint {@code earlier} to {@code now}, if {@code now} only grew. */
    public static Optional<SchemaGrowth> of(SourceSchema now, String earlier) {
        List<ColumnInfo> columns = now.columns();
        for (int kept = columns.size() - 1; kept > 0; kept--) {
            if (SchemaInspector.fingerprint(columns.subList(0, kept)).equals(earlier)) {
                int last = kept - 1;
                boolean within = Arrays.stream(now.orderIndexes()).allMatch(i -> i <= last)
                        && now.softDeleteIndex() <= last;
                // the contract's columns resolved among the earlier ones; one that now resolves to an added
                // column (a name differing only in case) changed what the contract reads
                return within ? Optional.of(new SchemaGrowth(new SourceSchema(now.relationSql(),
                        columns.subList(0, kept), now.orderIndexes(), now.keyIndexes(), now.softDeleteIndex(),
                        earlier), columns.subList(kept, columns.size()))) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Added columns declared NOT NULL: no policy takes those (a partner's earlier rows have no value for them). */
    public List<ColumnInfo> notNull() {
        return added.stream().filter(c -> !c.nullable()).toList();
    }
}
