package dev.exportdesk.chunk;

import dev.exportdesk.contract.RowFilter;
import dev.exportdesk.source.FilterValues;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import java.util.List;

/**
 * A contract's row filter evaluated on the captured row in Java, not in SQL: the capture must see a
 * row that left the filter to deliver its delete, and nothing the steward wrote ever becomes SQL
 * text. SQL's rule for NULL holds: a NULL value satisfies only {@code is_null}.
 */
final class RowFilterMatch {
    private final int[] columns;
    private final ValueKind[] kinds;
    private final RowFilter.Operator[] ops;
    @SuppressWarnings("rawtypes")
    private final Comparable[][] literals;

    RowFilterMatch(RowFilter filter, SourceSchema schema) {
        List<RowFilter.Term> terms = filter.terms();
        columns = new int[terms.size()];
        kinds = new ValueKind[terms.size()];
        ops = new RowFilter.Operator[terms.size()];
        literals = new Comparable[terms.size()][];
        for (int i = 0; i < terms.size(); i++) {
            RowFilter.Term t = terms.get(i);
            columns[i] = schema.columnIndex(t.column());
            if (columns[i] < 0) {
                throw new IllegalStateException("row_filter[" + i + "].column: column \"" + t.column()
                        + "\" is not exported");
            }
            ValueKind kind = schema.columns().get(columns[i]).kind();
            kinds[i] = kind;
            ops[i] = t.operator();
            literals[i] = t.values().stream().map(v -> FilterValues.comparable(v, kind)).toArray(Comparable[]::new);
        }
    }

    boolean test(Object[] row) {
        for (int i = 0; i < columns.length; i++) {
            if (!holds(i, row[columns[i]])) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private boolean holds(int term, Object value) {
        RowFilter.Operator op = ops[term];
        if (op == RowFilter.Operator.IS_NULL || op == RowFilter.Operator.IS_NOT_NULL || value == null) {
            return (value == null) == (op == RowFilter.Operator.IS_NULL);
        }
        Comparable v = FilterValues.comparable(value, kinds[term]);
        Comparable[] lits = literals[term];
        return switch (op) {
            case EQ -> v.compareTo(lits[0]) == 0;
            case NE -> v.compareTo(lits[0]) != 0;
            case LT -> v.compareTo(lits[0]) < 0;
            case LE -> v.compareTo(lits[0]) <= 0;
            case GT -> v.compareTo(lits[0]) > 0;
            case GE -> v.compareTo(lits[0]) >= 0;
            case IN -> contains(lits, v);
            case NOT_IN -> !contains(lits, v);
            case IS_NULL, IS_NOT_NULL -> throw new IllegalStateException("handled above");
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static boolean contains(Comparable[] lits, Comparable v) {
        for (Comparable l : lits) {
            if (v.compareTo(l) == 0) {
                return true;
            }
        }
        return false;
    }
}
