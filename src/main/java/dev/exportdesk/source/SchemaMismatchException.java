package dev.exportdesk.source;

import java.util.List;

/**
 * The source does not have what the contract names (unknown table or columns), or its shape no
 * longer matches the fingerprint the contract was accepted with (schema drift).
 */
public class SchemaMismatchException extends SourceException {
    private final List<String> problems;
    private final boolean drift;

    public SchemaMismatchException(String message, List<String> problems, boolean drift) {
        super(message + (problems.isEmpty() ? "" : ":\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
        this.drift = drift;
    }

    public List<String> problems() {
        return problems;
    }

    /** True when the contract was valid against an earlier schema and the source changed since. */
    public boolean drift() {
        return drift;
    }
}
