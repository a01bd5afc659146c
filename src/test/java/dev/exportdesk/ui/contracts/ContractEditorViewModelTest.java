package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.ui.ConnectionTimeout;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The editor's view model without a toolkit, on a real workspace and H2 source. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContractEditorViewModelTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 500);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    /** Issue 16 item 3: the run folder template and the CSV dialect, their errors under their fields. */
    @Test
    void pathTemplateAndCsvDialectErrorsLandOnTheirFields() {
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                null);
        vm.field(Field.NAME).set("stats");
        vm.field(Field.PARTNER).set("statoffice");
        vm.field(Field.SOURCE).set("demo-shop");
        vm.field(Field.TABLE).set("orders");
        vm.field(Field.KEY_COLUMNS).set("id");
        vm.field(Field.CURSOR_COLUMNS).set("updated_at");
        vm.field(Field.DESTINATION_PATH).set(dir.resolve("stats").toString());
        assertThat(vm.fieldErrors()).isEmpty();

        vm.field(Field.PATH_TEMPLATE).set("../{contract}/{sequence}");
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.PATH_TEMPLATE);
        assertThat(vm.fieldErrors().get(Field.PATH_TEMPLATE)).startsWith("$.destination.path_template:")
                .contains("\"..\" folder");
        vm.field(Field.PATH_TEMPLATE).set("{partner}/{yyyy}/{mm}/{contract}-{sequence}");
        assertThat(vm.fieldErrors()).isEmpty();

        vm.field(Field.CSV_DELIMITER).set(";");
        assertThat(vm.fieldErrors()).as("CSV options on a jsonl contract").containsOnlyKeys(Field.CSV_DELIMITER);
        assertThat(vm.fieldErrors().get(Field.CSV_DELIMITER)).contains("only with \"format\": \"csv\"");
        vm.field(Field.FORMAT).set("csv");
        vm.field(Field.CSV_HEADER).set("no");
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.CSV_HEADER);
        vm.field(Field.CSV_HEADER).set("false");
        vm.field(Field.CSV_LINE_ENDING).set("cr");
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.CSV_LINE_ENDING);
        vm.field(Field.CSV_LINE_ENDING).set("crlf");
        vm.field(Field.CSV_DELIMITER).set("\"");
        assertThat(vm.fieldErrors().get(Field.CSV_DELIMITER)).contains("must differ");
        vm.field(Field.CSV_DELIMITER).set(";");
        assertThat(vm.fieldErrors()).isEmpty();
        vm.field(Field.CSV_ESCAPE).set("\\\\");
        assertThat(vm.fieldErrors()).as("two characters").containsOnlyKeys(Field.CSV_ESCAPE);
        vm.field(Field.CSV_ESCAPE).set("\\");
        vm.field(Field.CSV_QUOTE).set("'");
        vm.field(Field.CSV_NULL).set("\\N");
        assertThat(vm.fieldErrors()).isEmpty();
        vm.save();
        assertThat(vm.messageProperty().get()).isEqualTo("Saved stats as version 1");
        var stored = fixture.engine(fixture.admin).load("stats").contract();
        assertThat(stored.pathTemplate().text()).isEqualTo("{partner}/{yyyy}/{mm}/{contract}-{sequence}");
        assertThat(stored.csv().delimiter()).isEqualTo(';');
        assertThat(stored.csv().header()).isFalse();
        assertThat(stored.csv().quote()).isEqualTo('\'');
        assertThat(stored.csv().escape()).isEqualTo('\\');
        assertThat(stored.csv().nullText()).isEqualTo("\\N");
    }

    @Test
    void everyEngineErrorLandsOnItsField() {
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                null);
        assertThat(vm.validProperty().get()).isFalse();
        assertThat(vm.titleProperty().get()).isEqualTo("New contract");
        assertThat(vm.fieldErrors()).containsKeys(Field.NAME, Field.PARTNER, Field.SOURCE,
                Field.TABLE, Field.KEY_COLUMNS, Field.DESTINATION_PATH);
        assertThat(vm.fieldErrors().get(Field.NAME)).isEqualTo("$.name: is required");
        vm.field(Field.NAME).set("Bad Name");
        assertThat(vm.fieldErrors().get(Field.NAME)).startsWith("$.name: must be 1-64 lowercase");
        vm.field(Field.NAME).set("good-name");
        vm.field(Field.PARTNER).set("bob");
        assertThat(vm.sourceNames()).containsExactly("demo-shop");
        vm.field(Field.SOURCE).set("demo-shop");
        vm.field(Field.TABLE).set("orders");
        vm.field(Field.KEY_COLUMNS).set("id");
        vm.field(Field.CURSOR_COLUMNS).set("id");
        vm.field(Field.DESTINATION_PATH).set(dir.resolve("bob").toString());
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.CURSOR_COLUMNS);
        assertThat(vm.fieldErrors().get(Field.CURSOR_COLUMNS)).contains("is a key column");
        vm.field(Field.CURSOR_COLUMNS).set("updated_at");
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.validProperty().get()).isTrue();
        vm.field(Field.COLUMNS).set("id, no_such_column, updated_at");
        vm.save();
        assertThat(vm.messageProperty().get()).startsWith("Not saved.");
        assertThat(vm.fieldErrors()).containsKey(Field.COLUMNS);
        vm.field(Field.COLUMNS).set("");
        vm.save();
        assertThat(vm.messageProperty().get()).isEqualTo("Saved good-name as version 1");
        assertThat(vm.titleProperty().get()).as("no longer new once stored").isEqualTo("Contract good-name");
        vm.testSource();
        assertThat(vm.messageProperty().get()).startsWith("Source reachable: H2");
        vm.testDestination();
        assertThat(vm.messageProperty().get()).startsWith("Destination reachable: folder");
        vm.previewSchema();
        assertThat(fixture.engine(fixture.admin).audit(20)).extracting(e -> e.action() + " " + e.subject())
                .contains("source.test good-name", "destination.test good-name", "source.preview good-name");
    }

    /**
     * Schema-driven setup: the table from the source's list, the key from its primary key, the
     * cursor from its only date/time column that can be one, columns ticked off — each choice
     * written into the form's fields, and the contract saves; a column that cannot order a scan is
     * refused as a key with the reason, and an auditor may not browse the source.
     */
    @Test
    void aContractIsSetUpFromTheSourcesSchema() throws Exception {
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                null);
        vm.loadTables();
        assertThat(vm.messageProperty().get()).isEqualTo("Choose a source connection first.");
        vm.field(Field.NAME).set("picked");
        vm.field(Field.PARTNER).set("bob");
        vm.field(Field.SOURCE).set("demo-shop");
        vm.field(Field.DESTINATION_PATH).set(dir.resolve("picked").toString());
        vm.loadTables();
        assertThat(vm.tables()).map(t -> t.toLowerCase(java.util.Locale.ROOT)).contains("orders", "customers");
        vm.field(Field.TABLE).set(vm.tables().stream().filter(t -> t.equalsIgnoreCase("orders")).findFirst()
                .orElseThrow());
        vm.loadColumns();
        assertThat(vm.schema()).extracting(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                .contains("id", "customer_id", "updated_at");
        assertThat(vm.field(Field.KEY_COLUMNS).get()).as("from the primary key").isEqualToIgnoringCase("id");
        assertThat(vm.field(Field.CURSOR_COLUMNS).get()).as("of ordered_at and updated_at, the one named for changes")
                .isEqualToIgnoringCase("updated_at");
        assertThat(vm.messageProperty().get()).contains("key columns from the primary key").contains("cursor");

        String customer = vm.schema().stream().map(ContractEditorViewModel.PickColumn::name)
                .filter(n -> n.equalsIgnoreCase("customer_id")).findFirst().orElseThrow();
        vm.setExported(customer, false);
        assertThat(vm.field(Field.COLUMNS).get()).isNotEmpty().doesNotContainIgnoringCase("customer_id");
        assertThat(vm.exported(customer)).isFalse();
        String id = vm.field(Field.KEY_COLUMNS).get();
        vm.setExported(id, false);
        assertThat(vm.exported(id)).as("a key is always exported").isTrue();
        vm.setExported(customer, true);
        assertThat(vm.field(Field.COLUMNS).get()).as("all ticked again: all").isEmpty();
        vm.schema().stream().filter(c -> c.orderProblem() != null).findFirst().ifPresent(bad -> {
            vm.setKey(bad.name(), true);
            assertThat(vm.key(bad.name())).isFalse();
            assertThat(vm.messageProperty().get()).contains("cannot be a key or cursor column");
        });
        assertThat(vm.fieldErrors()).isEmpty();
        vm.save();
        assertThat(vm.messageProperty().get()).isEqualTo("Saved picked as version 1");

        ContractEditorViewModel auditor = new ContractEditorViewModel(fixture.engine(fixture.user("aud", Role.AUDITOR)),
                new DirectTaskRunner(), DemoContracts.orders(dir.resolve("drop")));
        auditor.loadColumns();
        assertThat(auditor.messageProperty().get()).contains("may not read the columns");
        assertThat(auditor.schema()).isEmpty();
    }

    /** Deliveries sit in run folders: Test destination counts the delivered runs and looks for the latest. */
    @Test
    void testDestinationCountsTheDeliveredRunsAndLooksForTheLatest() throws Exception {
        var admin = fixture.engine(fixture.admin);
        admin.run("customers-to-acme", dev.exportdesk.engine.ProgressListener.NONE);
        admin.run("customers-to-acme", dev.exportdesk.engine.ProgressListener.NONE);
        ContractEditorViewModel vm = new ContractEditorViewModel(admin, new DirectTaskRunner(),
                DemoContracts.customers(fixture.drop));
        vm.testDestination();
        assertThat(vm.messageProperty().get()).startsWith("Destination reachable: folder").endsWith("(2 runs of "
                + "customers-to-acme delivered; the latest, run #2, is there "
                + "(customers-to-acme/run-000002/manifest.json))");

        java.nio.file.Files.delete(fixture.drop.resolve("customers-to-acme/run-000002/manifest.json"));
        vm.testDestination();
        assertThat(vm.messageProperty().get()).endsWith("(2 runs of customers-to-acme delivered; the latest, run #2, "
                + "is NOT there: customers-to-acme/run-000002/manifest.json is missing)");
    }

    /** A contract names a destination an administrator defined instead of spelling one out; runs resolve it. */
    @Test
    void aNamedDestinationIsPickedInsteadOfAFolder() {
        var admin = fixture.engine(fixture.admin);
        admin.destinations().addDestination("drop-named", "{\"type\":\"folder\",\"path\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(dir.resolve("named").toString())
                + "}", dev.exportdesk.engine.delivery.DestinationService.Credentials.NONE);
        ContractEditorViewModel vm = new ContractEditorViewModel(admin, new DirectTaskRunner(), null);
        assertThat(vm.destinationNames()).containsExactly("drop-named");
        vm.field(Field.NAME).set("named-dest");
        vm.field(Field.PARTNER).set("bob");
        vm.field(Field.SOURCE).set("demo-shop");
        vm.field(Field.TABLE).set("orders");
        vm.field(Field.KEY_COLUMNS).set("id");
        vm.field(Field.CURSOR_COLUMNS).set("updated_at");
        vm.field(Field.DESTINATION).set("nowhere");
        assertThat(vm.fieldErrors()).as("the name is checked against the store at save").isEmpty();
        vm.save();
        assertThat(vm.fieldErrors().get(Field.DESTINATION)).contains("no destination named \"nowhere\"");
        vm.field(Field.DESTINATION).set("drop-named");
        vm.save();
        assertThat(vm.messageProperty().get()).isEqualTo("Saved named-dest as version 1");
        assertThat(admin.exportContract("named-dest", java.util.Optional.empty()).body())
                .contains("\"destination\" : \"drop-named\"");
        vm.testDestination();
        assertThat(vm.messageProperty().get()).startsWith("Destination reachable: folder " + dir.resolve("named"));
        // a run folder template beside the name: the contract's own layout on the named destination
        vm.field(Field.PATH_TEMPLATE).set("{partner}/{contract}-{sequence}");
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.jsonProperty().get()).contains("\"name\" : \"drop-named\"")
                .contains("\"path_template\" : \"{partner}/{contract}-{sequence}\"");
        vm.field(Field.PATH_TEMPLATE).set("");
        assertThat(vm.jsonProperty().get()).contains("\"destination\" : \"drop-named\"");

        vm.field(Field.DESTINATION).set("");
        vm.field(Field.DESTINATION_PATH).set(dir.resolve("inline").toString());
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.jsonProperty().get()).contains("\"type\" : \"folder\"").contains("inline");
    }

    @Test
    void editingKeepsTheFieldsTheFormDoesNotShow() {
        String json = DemoContracts.orders(dir.resolve("drop"));
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                json);
        assertThat(vm.field(Field.KEY_COLUMNS).get()).isEqualTo("id");
        vm.field(Field.MAX_LAG).set("2h");
        assertThat(vm.currentJson()).contains("\"max_attempts\" : 5").contains("\"max_delivery_lag\" : \"2h\"")
                .contains("\"lookback\" : \"15m\"");
        assertThat(vm.validProperty().get()).isTrue();
    }

    /** The editor takes both schedule forms, and says at the cron and zone fields what is wrong. */
    @Test
    void theEditorTakesACronScheduleBesideTheInterval() {
        String json = DemoContracts.orders(dir.resolve("drop")); // every 15m
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                json);
        assertThat(vm.field(Field.SCHEDULE).get()).isEqualTo("15m");
        vm.field(Field.SCHEDULE_CRON).set("0 */2 * * *");
        assertThat(vm.fieldErrors().get(Field.SCHEDULE_CRON)).isEqualTo(
                "$.schedule.cron: give either \"interval\" or \"cron\", not both");
        assertThat(vm.validProperty().get()).isFalse();
        vm.field(Field.SCHEDULE).set("");
        vm.field(Field.SCHEDULE_ZONE).set("Europe/Berlln");
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.SCHEDULE_ZONE);
        assertThat(vm.fieldErrors().get(Field.SCHEDULE_ZONE)).startsWith("$.schedule.zone: is not a time zone");
        vm.field(Field.SCHEDULE_ZONE).set("Europe/Berlin");
        vm.field(Field.SCHEDULE_CRON).set("0 */2 * *");
        assertThat(vm.fieldErrors().get(Field.SCHEDULE_CRON)).startsWith(
                "$.schedule.cron: is not a five-field cron expression");
        vm.field(Field.SCHEDULE_CRON).set("0 */2 * * *");
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.currentJson()).contains("\"cron\" : \"0 */2 * * *\"").contains("\"zone\" : \"Europe/Berlin\"")
                .doesNotContain("\"interval\"");
    }

    @Test
    void anAuditorGetsAReadOnlyEditorAndTheServiceRefusesTheSave() {
        String json = DemoContracts.orders(dir.resolve("drop"));
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.user("audra", Role.AUDITOR)),
                new DirectTaskRunner(), json);
        assertThat(vm.editableProperty().get()).isFalse();
        vm.save();
        assertThat(vm.messageProperty().get()).contains("Your role does not allow this")
                .contains("audra (auditor) may not edit contracts");
        int audited = fixture.engine(fixture.admin).audit(100000).size();
        vm.testDestination();
        assertThat(vm.messageProperty().get()).contains("audra (auditor) may not test connections");
        vm.previewSchema();
        assertThat(vm.messageProperty().get()).contains("audra (auditor) may not preview source schemas");
        assertThat(fixture.engine(fixture.admin).audit(100000)).as("the refusals are audited")
                .hasSize(audited + 2);
    }

    @Test
    void aPlainHttpS3DestinationShowsAWarning() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(DemoContracts.orders(dir.resolve("drop")));
        c.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:9").put("bucket", "drop")
                .put("allow_insecure_http", true).put("access_key_id_secret", "k").put("secret_access_key_secret", "s");
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                c.toString());
        assertThat(vm.validProperty().get()).isTrue();
        assertThat(vm.warningProperty().get()).contains("plain http");
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("destination")).put("endpoint", "https://127.0.0.1:9");
        vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(), c.toString());
        assertThat(vm.warningProperty().get()).isEmpty();
    }

    @Test
    void connectionTestsGiveUpAfterTheTimeout() {
        assertThat(ConnectionTimeout.LIMIT.toSeconds()).isEqualTo(10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectionTimeout.call(() -> {
            Thread.sleep(5_000);
            return "late";
        }, 50)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }
}
