package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** destination.path_template and csv: parsing, resolution and canonical text. */
class PathTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode contract() {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", "orders-to-acme").put("partner", "acme").put("source", "shop").put("table", "public.orders");
        c.putArray("key_columns").add("id");
        c.putObject("destination").put("type", "folder").put("path", "/drop");
        return c;
    }

    private static Contract parse(ObjectNode c) {
        return ContractCodec.parse(c.toString(), "test");
    }

    @Test
    void theDefaultIsTodaysLayoutAndIsNotWritten() {
        Contract c = parse(contract());
        assertThat(c.pathTemplate()).isEqualTo(PathTemplate.DEFAULT);
        assertThat(c.pathTemplate().resolve(new PathTemplate.Fields("acme", "orders-to-acme", "public.orders", 1, 7,
                Instant.parse("2026-12-05T07:00:00Z")))).isEqualTo(String.format("orders-to-acme/run-%06d", 7));
        assertThat(ContractCodec.write(c)).doesNotContain("path_template").doesNotContain("\"csv\"");
    }

    @Test
    void everyFieldResolvesFromTheRunAndTheCanonicalTextKeepsIt() {
        ObjectNode json = contract();
        String template = "{partner}/{yyyy}/{mm}/{dd}/{hh}/{table}/v{contract_version}/{contract}-{sequence}";
        ((ObjectNode) json.get("destination")).put("path_template", template);
        Contract c = parse(json);
        assertThat(c.pathTemplate().resolve(new PathTemplate.Fields(c.partner(), c.name(), c.table(), 3, 42,
                Instant.parse("2026-01-02T03:59:59.999999Z"))))
                .isEqualTo("acme/2026/01/02/03/public.orders/v3/orders-to-acme-000042");
        Contract again = ContractCodec.parse(ContractCodec.write(c), "again");
        assertThat(again.pathTemplate().text()).isEqualTo(template);
        assertThat(ContractCodec.write(again)).isEqualTo(ContractCodec.write(c));
    }

    @Test
    void aTableNameBecomesOneSafeFolder() {
        assertThat(PathTemplate.table("public.orders")).isEqualTo("public.orders");
        assertThat(PathTemplate.table("my schema\"/../Bestellungen ü")).isEqualTo("my_schema__.._Bestellungen__");
        ObjectNode json = contract().put("table", "../etc");
        ((ObjectNode) json.get("destination")).put("path_template", "{table}/{contract}-{sequence}");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ContractValidationException.class)
                .hasMessageContaining("$.destination.path_template").hasMessageContaining("must start with a letter");
    }

    @Test
    void aQueryContractHasNoTableField() {
        ObjectNode json = contract();
        json.remove("table");
        json.put("query", "SELECT id FROM orders");
        ((ObjectNode) json.get("destination")).put("path_template", "{table}/{contract}-{sequence}");
        assertThatThrownBy(() -> parse(json)).hasMessageContaining("$.destination.path_template: {table} needs a "
                + "contract with \"table\"");
    }

    @Test
    void boundsAreEnforced() {
        ObjectNode deep = contract();
        ((ObjectNode) deep.get("destination")).put("path_template", "a/b/c/d/e/f/g/h/{contract}-{sequence}");
        assertThatThrownBy(() -> parse(deep)).hasMessageContaining("deeper than 8");
        ObjectNode longSegment = contract();
        ((ObjectNode) longSegment.get("destination")).put("path_template", "x".repeat(130) + "/{contract}-{sequence}");
        assertThatThrownBy(() -> parse(longSegment)).hasMessageContaining("at most 128");
        ObjectNode dotted = contract();
        ((ObjectNode) dotted.get("destination")).put("path_template", ".hidden/{contract}-{sequence}");
        assertThatThrownBy(() -> parse(dotted)).hasMessageContaining("must start with a letter or digit");
    }

    @Test
    void aNamedDestinationsDefinitionRefusesATemplate() {
        assertThatThrownBy(() -> ContractCodec.parseDestination("{\"type\":\"folder\",\"path\":\"/drop\","
                + "\"path_template\":\"{contract}/{sequence}\"}", "acme-drop"))
                .hasMessageContaining("$.path_template: belongs in a contract's own destination object");
    }

    @Test
    void aDialectRoundTripsThroughTheCanonicalText() {
        ObjectNode json = contract().put("format", "csv");
        json.putObject("csv").put("delimiter", "\t").put("quote", "'").put("escape", "\\").put("header", false)
                .put("line_ending", "lf").put("null", "\\N");
        Contract c = parse(json);
        assertThat(c.csv()).isEqualTo(new CsvDialect('\t', '\'', '\\', false, CsvDialect.LineEnding.LF, "\\N"));
        assertThat(ContractCodec.parse(ContractCodec.write(c), "again").csv()).isEqualTo(c.csv());
        ObjectNode quoteOnly = contract().put("format", "csv");
        quoteOnly.putObject("csv").put("quote", "'");
        assertThat(parse(quoteOnly).csv().escape()).as("the escape follows the quote").isEqualTo('\'');
    }

    @Test
    void dialectFieldsAreReadBackAsTheyWereWritten() {
        CsvDialect d = new CsvDialect(';', '\'', '\\', true, CsvDialect.LineEnding.CRLF, "NULL");
        StringBuilder sb = new StringBuilder();
        for (String v : new String[] {"", "NULL", "a;b", "it's", "back\\slash", "plain"}) {
            d.appendField(sb, v);
            sb.append(';');
        }
        sb.append("NULL");
        assertThat(sb.toString()).isEqualTo("'';'NULL';'a;b';'it\\'s';'back\\\\slash';plain;NULL");
        assertThat(d.fields(sb.toString())).containsExactly("", "NULL", "a;b", "it's", "back\\slash", "plain", null);
    }
}
