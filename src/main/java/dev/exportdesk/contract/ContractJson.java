package dev.exportdesk.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The one way contract text becomes a JSON tree. A contract comes from whoever may edit contracts,
 * so the parser is bounded (nesting, document and string length) to fail fast on a hostile
 * document instead of exhausting the stack or heap, and it is exact: a repeated key or data after
 * the object is an error rather than a silent "last one wins" or "ignore the rest", so what the
 * author reviewed is what runs.
 */
final class ContractJson {
    /** The state store keeps a contract body in a VARCHAR(1000000) column. */
    static final int MAX_DOCUMENT_CHARS = 1_000_000;
    /** A contract is at most four objects deep; the margin is for forward compatibility only. */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxDocumentLength(MAX_DOCUMENT_CHARS)
                    .maxStringLength(MAX_DOCUMENT_CHARS)
                    .maxNumberLength(32)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ContractJson() {
    }

    static JsonNode read(String json, String origin) {
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw tooLarge(origin);
        }
        try {
            return READER.readTree(json);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("nesting depth")) {
                throw invalid(origin, "nested deeper than the limit of " + MAX_DEPTH + " levels");
            }
            if (m.contains("number")) {
                throw invalid(origin, "a number longer than the limit of 32 digits");
            }
            throw tooLarge(origin);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw invalid(origin, "not valid JSON: " + dev.exportdesk.text.Text.safe(e.getOriginalMessage()) + where);
        }
    }

    private static ContractValidationException tooLarge(String origin) {
        return invalid(origin, "longer than the limit of " + MAX_DOCUMENT_CHARS + " characters");
    }

    private static ContractValidationException invalid(String origin, String message) {
        return new ContractValidationException(origin, List.of(new ValidationError("$", message)));
    }
}
