package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract's {@code retention} object: optional, validated with errors naming the field, round-tripped. */
class RetentionCodecTest {
    private static final SourceDb DB = new SourceDb("h2", "jdbc:h2:mem:retention-codec", "sa");

    private static ObjectNode base() {
        return Contracts.base("items", DB, "items", Path.of("/tmp/drop"));
    }

    @Test
    void absentKeepsForeverAndLeavesTheCanonicalTextAlone() {
        Contract c = ContractCodec.parse(base().toString(), "t");
        assertThat(c.retention().keepsForever()).isTrue();
        assertThat(ContractCodec.write(c)).doesNotContain("retention");
    }

    @Test
    void durationsParseAndRoundTrip() {
        String json = Contracts.json(base(), c -> c.putObject("retention").put("delivered", "90d")
                .put("retained_copies", "720h").put("staging", "P7D"));
        Contract c = ContractCodec.parse(json, "t");
        assertThat(c.retention().delivered()).isEqualTo(Duration.ofDays(90));
        assertThat(c.retention().retainedCopies()).isEqualTo(Duration.ofDays(30));
        assertThat(c.retention().staging()).isEqualTo(Duration.ofDays(7));
        Contract again = ContractCodec.parse(ContractCodec.write(c), "t");
        assertThat(again.retention()).isEqualTo(c.retention());
        assertThat(ContractCodec.write(again)).contains("\"delivered\" : \"90d\"").contains("\"retained_copies\" : \"30d\"");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> ContractCodec.parse(Contracts.json(base(), c -> c.putObject("retention")
                .put("delivered", "soon").put("retained_copies", 30).put("staging", "1m").put("forever", true)), "t"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::path)
                        .contains("$.retention.delivered", "$.retention.retained_copies", "$.retention.staging",
                                "$.retention.forever"));
        assertThatThrownBy(() -> ContractCodec.parse(Contracts.json(base(), c -> c.putObject("retention")
                .put("delivered", "2h")), "t"))
                .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.retention.delivered")
                .hasMessageContaining("between 1d");
        assertThatThrownBy(() -> ContractCodec.parse(Contracts.json(base(), c -> c.put("retention", "90d")), "t"))
                .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.retention");
    }
}
