package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A contract's optional periodic verification, {@code "schedule": {"verify_interval": "1d",
 * "verify_level": "deep"}} (validated by {@link ContractCodec}); read from the stored contract body
 * so the {@link Contract} record keeps its shape.
 */
public record VerificationSchedule(Duration interval, boolean deep) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Optional<VerificationSchedule> of(String contractBody) {
        try {
            JsonNode s = MAPPER.readTree(contractBody).path("schedule");
            if (!s.hasNonNull("verify_interval")) {
                return Optional.empty();
            }
            return Optional.of(new VerificationSchedule(DurationText.parse(s.get("verify_interval").asText()),
                    "deep".equals(s.path("verify_level").asText("delivery"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
