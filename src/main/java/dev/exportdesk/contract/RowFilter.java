package dev.exportdesk.contract;

import java.util.List;

/**
 * The contract's {@code row_filter}: terms that must all hold for a row to be delivered as it is
 * (docs/contracts.md). A literal is a {@link String}, {@link Long}, {@link java.math.BigDecimal} or
 * {@link Boolean}; it is only ever compared with a captured value, never written into SQL.
 */
public record RowFilter(List<Term> terms) {
    public static final RowFilter NONE = new RowFilter(List.of());
    static final int MAX_TERMS = 32;
    static final int MAX_VALUES = 1000;

    public RowFilter {
        terms = List.copyOf(terms);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** One condition on one exported column; {@code values} holds one literal, several (in) or none (is_null). */
    public record Term(String column, Operator operator, List<Object> values) {
        public Term {
            values = List.copyOf(values);
        }
    }

    public enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not_in"), IS_NULL("is_null"),
        IS_NOT_NULL("is_not_null");

        private final String jsonName;

        Operator(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        /** How many literals the operator takes: 1, several ({@code -1}) or none. */
        public int arity() {
            return switch (this) {
                case IN, NOT_IN -> -1;
                case IS_NULL, IS_NOT_NULL -> 0;
                default -> 1;
            };
        }

        /** Orders values: only numbers and dates/times compare, never text under some collation. */
        public boolean ordering() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }
}
