package dev.exportdesk.contract;

import java.util.List;
import java.util.stream.Collectors;

/** A contract was rejected; carries every error found, not just the first. */
public class ContractValidationException extends RuntimeException {
    private final String origin;
    private final List<ValidationError> errors;

    public ContractValidationException(String origin, List<ValidationError> errors) {
        super(origin + " is not a valid contract (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                + "):\n" + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
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
