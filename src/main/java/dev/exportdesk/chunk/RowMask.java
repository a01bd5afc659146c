package dev.exportdesk.chunk;

import dev.exportdesk.contract.ColumnMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.MaskingPolicy;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A contract's masking policy bound to the source's columns and the partner's key: turns a captured
 * row into the row the partner receives (docs/contracts.md, "Masking and row filters"). Every path
 * that encodes rows — cursor, correction and log capture, and deep verification re-reading the
 * source — goes through {@link RowEncoder#of(dev.exportdesk.contract.FileFormat, RowMask)}, so a
 * row is masked the same way everywhere. A row outside the row filter becomes a delete carrying only
 * its key and cursor columns (masked as always), every other column null.
 */
public final class RowMask {
    /** Shorter keys are refused: an HMAC key is what stops a partner from hashing guesses themselves. */
    public static final int MIN_KEY_CHARS = 32;
    public static final String KEY_FIELD = "$.masking.hmac_secret";

    private final SourceSchema delivered;
    private final int[] kept;
    private final ColumnMask[] masks;
    private final boolean[] tuple;
    private final RowFilterMatch filter;
    private final byte[] key;
    private final String fingerprint;

    private RowMask(SourceSchema source, MaskingPolicy policy, byte[] key) {
        this.key = key;
        this.filter = new RowFilterMatch(policy.rowFilter(), source);
        this.fingerprint = policy.isEmpty() ? null : policy.fingerprint();
        ColumnMask[] bySource = new ColumnMask[source.columns().size()];
        policy.columns().forEach((name, mask) -> {
            int at = source.columnIndex(name);
            if (at < 0) {
                throw new IllegalStateException("masking.columns: column \"" + name + "\" is not exported");
            }
            bySource[at] = mask;
        });
        int[] map = new int[bySource.length];
        List<Integer> keep = new ArrayList<>();
        List<ColumnInfo> columns = new ArrayList<>();
        for (int i = 0; i < bySource.length; i++) {
            ColumnMask m = bySource[i];
            map[i] = m != null && m.kind() == ColumnMask.Kind.DROP ? -1 : keep.size();
            if (map[i] >= 0) {
                keep.add(i);
                ColumnInfo c = source.columns().get(i);
                columns.add(m == null || m.kind() == ColumnMask.Kind.NULL ? c : new ColumnInfo(c.name(), c.outputName(),
                        java.sql.Types.VARCHAR, "text", c.nullable(), ValueKind.STRING));
            }
        }
        this.kept = keep.stream().mapToInt(Integer::intValue).toArray();
        this.masks = Arrays.stream(kept).mapToObj(i -> bySource[i]).toArray(ColumnMask[]::new);
        this.tuple = new boolean[bySource.length];
        for (int i : source.orderIndexes()) {
            tuple[i] = true;
        }
        this.delivered = new SourceSchema(source.relationSql(), columns, remap(source.orderIndexes(), map),
                remap(source.keyIndexes(), map), source.softDeleteIndex() < 0 ? -1 : map[source.softDeleteIndex()],
                source.fingerprint());
    }

    private static int[] remap(int[] indexes, int[] map) {
        // key and cursor columns take only deterministic transforms (the contract refuses others): never dropped
        return Arrays.stream(indexes).map(i -> map[i]).toArray();
    }

    /** Rows delivered as captured (a contract without masking or row filter). */
    public static RowMask none(SourceSchema schema) {
        return new RowMask(schema, MaskingPolicy.NONE, null);
    }

    /**
     * The contract's mask over {@code schema}; {@code secrets} gives a secret's value by name, only for
     * this partner's masking scope. Throws when the key cannot be had (the message names the field and
     * the secret, never a value).
     */
    public static RowMask of(Contract contract, SourceSchema schema, Function<String, String> secrets) {
        return new RowMask(schema, contract.masking(), key(contract, secrets));
    }

    /**
     * At import: the contract's masking key exists in the vault, is bound to this partner's masking
     * scope and is long enough; else a validation error on {@code $.masking.hmac_secret}.
     */
    public static void check(Contract contract, String origin, Function<String, String> secrets) {
        try {
            key(contract, secrets);
        } catch (RuntimeException e) {
            String message = e.getMessage().startsWith(KEY_FIELD + ": ")
                    ? e.getMessage().substring(KEY_FIELD.length() + 2) : e.getMessage();
            throw new ContractValidationException(origin, List.of(new ValidationError(KEY_FIELD, message)));
        }
    }

    private static byte[] key(Contract contract, Function<String, String> secrets) {
        String name = contract.masking().hmacSecret();
        if (name == null) {
            return null;
        }
        String value = secrets.apply(name);
        if (value == null || value.length() < MIN_KEY_CHARS) {
            throw new IllegalArgumentException(KEY_FIELD + ": secret \"" + name + "\" is shorter than " + MIN_KEY_CHARS
                    + " characters; a pseudonym key must not be guessable");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The contract's mask without its key: for the delivered columns and the fingerprint, never for {@link #masker}. */
    public static RowMask keyless(Contract contract, SourceSchema schema) {
        return new RowMask(schema, contract.masking(), null);
    }

    public boolean identity() {
        return fingerprint == null;
    }

    /** The SHA-256 of the policy for manifests ({@code masking_policy_sha256}); null without one. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The columns as delivered: dropped ones gone, transformed ones text; order and key indexes into these. */
    public SourceSchema delivered() {
        return delivered;
    }

    public List<String> names() {
        return delivered.columns().stream().map(ColumnInfo::outputName).toList();
    }

    /** Whether delivered cursor and key values are the source's own (so a delivered tuple bounds a source range). */
    public boolean orderKept() {
        return Arrays.stream(delivered.orderIndexes()).allMatch(i -> masks[i] == null);
    }

    /** Whether delivered key values are the source's own (so a delivered key can be looked up in the source). */
    public boolean keyKept() {
        return Arrays.stream(delivered.keyIndexes()).allMatch(i -> masks[i] == null);
    }

    /** Whether {@code row} reaches its partner as a delete: soft-deleted, or outside the row filter. */
    public boolean deletes(CapturedRow row) {
        return row.delete() || !filter.test(row.values());
    }

    /** A masker for one thread (it keeps a MAC and a digest). */
    public Masker masker() {
        return new Masker();
    }

    /** Applies the mask; not thread-safe, one per encoder. */
    public final class Masker {
        private final ValueMasks values = new ValueMasks(key);

        public CapturedRow apply(CapturedRow row) {
            if (identity()) {
                return row;
            }
            boolean inside = filter.test(row.values());
            Object[] in = row.values();
            Object[] out = new Object[kept.length];
            for (int i = 0; i < kept.length; i++) {
                int s = kept[i];
                out[i] = !inside && !tuple[s] ? null : values.apply(masks[i], in[s]);
            }
            return new CapturedRow(out, row.delete() || !inside);
        }

        /** A source key as the partner sees it (key columns masked). */
        public Object[] key(Object[] sourceKey) {
            Object[] out = new Object[sourceKey.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.apply(masks[delivered.keyIndexes()[i]], sourceKey[i]);
            }
            return out;
        }
    }
}
