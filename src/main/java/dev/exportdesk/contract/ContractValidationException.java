package dev.exportdesk.contract;

import java.util.List;
import java.util.stream.Collectors;

/** A contract was rejected; carries every error found, not just the first. */
public class ContractValidationException extends RuntimeException {
    private final String origin;
    private final List<ValidationError> errors;

    /** A hostile document can hold 50,000 unknown fields: the message lists this many and counts the rest. */
    static final int MAX_LISTED = 50;

    public ContractValidationException(String origin, List<ValidationError> errors) {
        super(origin + " is not a valid contract (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                + "):\n" + errors.stream().limit(MAX_LISTED).map(e -> "  " + e).collect(Collectors.joining("\n"))
                + (errors.size() > MAX_LISTED ? "\n  … and " + (errors.size() - MAX_LISTED) + " more" : ""));
        this.origin = origin;
        this.errors = List.copyOf(errors);
    }

    public String origin() {
        return origin;
    }

    public List<ValidationError> errors() {
        return errors;
    }
}
