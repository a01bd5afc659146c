package dev.exportdesk.source;

import dev.exportdesk.contract.ColumnMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.MaskingPolicy;
import dev.exportdesk.contract.RowFilter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A contract's masking and row filter against the exported columns as the source has them: every
 * column named exists, {@code truncate} applies to text, and each filter literal is a value of its
 * column's type (a date for a date column, a number for a number) with an operator the type
 * supports. Problems read {@code field: message}, as {@link SchemaInspector}'s do.
 */
final class MaskingCheck {
    private MaskingCheck() {
    }

    static void check(Contract contract, List<ColumnInfo> exported, List<String> problems) {
        SourceSchema columns = new SourceSchema("", exported, new int[0], new int[0], -1, "");
        MaskingPolicy policy = contract.masking();
        Set<Integer> ordering = new HashSet<>();
        Stream.concat(contract.keyColumns().stream(), contract.cursorColumns().stream())
                .forEach(name -> ordering.add(columns.columnIndex(name)));
        Map<Integer, String> masked = new HashMap<>();
        policy.columns().forEach((name, mask) -> {
            String field = "masking.columns." + name;
            int at = columns.columnIndex(name);
            ColumnInfo c = at < 0 ? null : exported.get(at);
            String other = at < 0 ? null : masked.putIfAbsent(at, name);
            if (c == null) {
                problems.add(field + ": column \"" + name + "\" does not exist in the exported columns (available: "
                        + String.join(", ", exported.stream().map(ColumnInfo::outputName).toList()) + ")");
            } else if (other != null) {
                problems.add(field + ": names the same column as \"" + other + "\"");
            } else if (ordering.contains(at) && !mask.deterministic()) {
                // the same rule the contract checks by name, here for a name that differs only in case
                problems.add(field + ": column \"" + c.outputName() + "\" is a key or cursor column: it may only take "
                        + "a deterministic transform (hmac_sha256 or sha256), not " + mask.text());
            } else if (mask.kind() == ColumnMask.Kind.TRUNCATE && c.kind() != ValueKind.STRING) {
                problems.add(field + ": truncate applies to text; column \"" + name + "\" has type " + c.typeName());
            }
        });
        List<RowFilter.Term> terms = policy.rowFilter().terms();
        for (int i = 0; i < terms.size(); i++) {
            RowFilter.Term t = terms.get(i);
            String field = "row_filter[" + i + "]";
            int at = columns.columnIndex(t.column());
            ColumnInfo c = at < 0 ? null : exported.get(at);
            if (c == null) {
                problems.add(field + ".column: column \"" + t.column() + "\" does not exist in the exported columns");
                continue;
            }
            String type = c.typeName() == null ? c.kind().name().toLowerCase(Locale.ROOT) : c.typeName();
            if (t.operator().arity() != 0 && !FilterValues.comparableKind(c.kind())) {
                problems.add(field + ".operator: column \"" + t.column() + "\" has type " + type + ", which a filter "
                        + "only tests with is_null or is_not_null");
            } else if (t.operator().ordering() && !FilterValues.orderable(c.kind())) {
                problems.add(field + ".operator: " + t.operator().jsonName() + " does not apply to column \""
                        + t.column() + "\" of type " + type + " (text and booleans compare with =, !=, in or not_in)");
            } else {
                literals(t, c, field, type, problems);
            }
        }
    }

    private static void literals(RowFilter.Term t, ColumnInfo c, String field, String type, List<String> problems) {
        for (int j = 0; j < t.values().size(); j++) {
            Object v = t.values().get(j);
            try {
                FilterValues.comparable(v, c.kind());
            } catch (RuntimeException e) {
                String at = t.operator().arity() == 1 ? field + ".value" : field + ".values[" + j + "]";
                problems.add(at + ": is not a value of column \"" + t.column() + "\" (type " + type + ")");
            }
        }
    }
}
