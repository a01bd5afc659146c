package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * {@code "destination": "NAME"}: parsed to a {@link NamedDestinationSpec}, written back as the name
 * (the canonical text keeps no definition), a name outside the allow-list refused at its path; and a
 * destination object on its own reads and writes exactly as inside a contract.
 */
class NamedDestinationCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode contract() {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("name", "orders").put("partner", "acme").put("source", "shop").put("table", "orders");
        c.putArray("key_columns").add("id");
        c.put("destination", "acme-sftp");
        return c;
    }

    @Test
    void aNamedDestinationRoundTrips() {
        Contract c = ContractCodec.parse(contract().toString(), "c.json");
        assertThat(c.destination()).isEqualTo(new NamedDestinationSpec("acme-sftp"));
        String text = ContractCodec.write(c, null);
        assertThat(text).contains("\"destination\" : \"acme-sftp\"");
        assertThat(ContractCodec.parse(text, "again").destination()).isEqualTo(c.destination());
    }

    @Test
    void aNameOutsideTheAllowListIsRefusedAtItsPath() {
        for (String bad : new String[] {"../etc", "Acme", "", "a".repeat(65)}) {
            ObjectNode c = contract().put("destination", bad);
            assertThatThrownBy(() -> ContractCodec.parse(c.toString(), "c.json"))
                    .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.destination");
        }
    }

    @Test
    void aDestinationObjectReadsAndWritesAsInAContract() {
        String sftp = "{\"type\":\"sftp\",\"host\":\"sftp.acme.example\",\"port\":2222,\"user\":\"u\","
                + "\"path\":\"/in\",\"password_secret\":\"acme\"}";
        DestinationSpec spec = ContractCodec.parseDestination(sftp, "d");
        assertThat(spec).isInstanceOf(SftpDestinationSpec.class);
        assertThat(ContractCodec.parseDestination(ContractCodec.writeDestination(spec), "again")).isEqualTo(spec);
        assertThatThrownBy(() -> ContractCodec.parseDestination("{\"type\":\"sftp\",\"host\":\"h\",\"user\":\"u\","
                + "\"path\":\"/in\",\"password\":\"plain\"}", "d")).isInstanceOf(ContractValidationException.class)
                .hasMessageContaining("$.password").hasMessageNotContaining("plain\"");
        assertThatThrownBy(() -> ContractCodec.writeDestination(new NamedDestinationSpec("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
