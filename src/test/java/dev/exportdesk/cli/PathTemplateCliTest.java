package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3: {@code destination.path_template} end to end through the command line — where
 * runs land, that a resumed run lands where its first attempt meant to, that the operator's and the
 * partner's checks and receipts find templated runs, over a folder and over SFTP.
 */
class PathTemplateCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = "{partner}/{yyyy}/{mm}/{contract}-{sequence}";

    @TempDir
    Path dir;

    private SourceDb items(int rows) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, " + rows + ")");
        return db;
    }

    /**
     * The first attempt cannot write (a file stands where the partner's folder goes); its stored
     * creation time is then moved to 2020, so a resume that worked the folder out from the clock
     * instead of the run would land in this year's folder, not in 2020/02.
     */
    @Test
    void aResumedRunLandsInTheFolderItsStoredCreationTimeNames() throws Exception {
        SourceDb db = items(3000);
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items-to-acme", db, "items", drop);
        ((ObjectNode) contract.get("destination")).put("path_template", TEMPLATE).put("ack_deadline", "1h");
        Files.writeString(dir.resolve("c.json"), contract.toString());
        assertThat(cli.run("contract", "import", dir.resolve("c.json").toString()).code()).isZero();
        assertThat(cli.run("contract", "export", "items-to-acme").out()).contains("\"path_template\" : \"" + TEMPLATE);

        Files.createDirectories(drop);
        Files.writeString(drop.resolve("acme"), "blocks the partner's folder");
        CliRun.Result failed = cli.run("run", "items-to-acme", "-q");
        assertThat(failed.code()).as(failed.all()).isEqualTo(ExitCodes.RUN_FAILED);
        try (Connection c = store(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE runs SET planned_at = TIMESTAMP WITH TIME ZONE "
                    + "'2020-02-03 04:05:06+00' WHERE contract_name = 'items-to-acme'")).isEqualTo(1);
        }
        Files.delete(drop.resolve("acme"));
        CliRun.Result resumed = cli.run("resume", "items-to-acme", "-q");
        assertThat(resumed.code()).as(resumed.all()).isZero();

        Path run = drop.resolve("acme/2020/02/items-to-acme-000001");
        assertThat(files(drop)).allMatch(p -> p.startsWith(run), "every delivered file is in the run's folder")
                .contains(run.resolve("manifest.json"), run.resolve("SHA256SUMS"), run.resolve("chunk-000003.jsonl.zst"));
        JsonNode manifest = JSON.readTree(run.resolve("manifest.json").toFile());
        assertThat(manifest.path("created_at").asText()).startsWith("2020-02-03T04:05:06");
        assertThat(manifest.path("run_directory").asText()).isEqualTo("acme/2020/02/items-to-acme-000001");

        CliRun.Result verify = cli.run("verify", "items-to-acme");
        assertThat(verify.code()).as(verify.all()).isZero();
        assertThat(verify.out()).contains("PASS  chunk-000003.jsonl.zst");

        // the partner finds a chunk damaged and says so; the redelivery and the fresh receipt use the same folder
        String runId = manifest.path("run_id").asText();
        Path damaged = run.resolve("chunk-000002.jsonl.zst");
        byte[] sealed = Files.readAllBytes(damaged);
        byte[] bytes = sealed.clone();
        bytes[10] ^= 0x01;
        Files.write(damaged, bytes);
        ObjectNode receipt = JSON.createObjectNode().put("format", "exportdesk-ack/1").put("run_id", runId)
                .put("manifest_sha256", Hashing.digest(run.resolve("manifest.json")).sha256());
        var listed = receipt.putArray("chunks");
        for (int i = 1; i <= 3; i++) {
            String name = "chunk-00000" + i + ".jsonl.zst";
            listed.addObject().put("file", name).put("sha256", Hashing.digest(run.resolve(name)).sha256());
        }
        Files.writeString(run.resolve("manifest.json.ack"), receipt.toString());
        CliRun.Result redelivered = cli.run("ack", runId);
        assertThat(redelivered.code()).as(redelivered.all()).isZero();
        assertThat(redelivered.out()).contains("receipt REDELIVERED").contains("redelivery-1.json");
        assertThat(Files.readAllBytes(damaged)).as("the sealed bytes are back").isEqualTo(sealed);
        assertThat(run.resolve("redelivery-1.json")).exists();

        CliRun.Result partner = cli.run("verify-delivery", run.toString());
        assertThat(partner.code()).as(partner.all()).isZero();
        assertThat(partner.out()).contains("acme/2020/02/items-to-acme-000001 as the manifest says")
                .contains("receipt written");
        CliRun.Result accepted = cli.run("ack", runId);
        assertThat(accepted.out()).as(accepted.all()).contains("receipt ACKNOWLEDGED");
        assertThat(cli.run("verify", "items-to-acme").out()).contains("PASS  manifest.json.ack");
        assertThat(drop.resolve("items-to-acme")).as("nothing in the default layout").doesNotExist();

        // the partner checks every run below its own folder at once, in sequence order (not folder-name order)
        // run 2 carries rows, so its first attempt stops at the first chunk, before anything is recorded in the ledger
        db.exec("UPDATE items SET name = 'renamed', updated_at = CURRENT_TIMESTAMP WHERE id <= 5");
        Path year = drop.resolve("acme/" + java.time.Year.now(java.time.ZoneOffset.UTC));
        Files.writeString(year, "blocks run 2's folder");
        assertThat(cli.run("run", "items-to-acme", "-q").code()).isEqualTo(ExitCodes.RUN_FAILED);
        try (Connection c = store(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE runs SET planned_at = TIMESTAMP WITH TIME ZONE "
                    + "'2019-01-02 03:04:05+00' WHERE contract_name = 'items-to-acme' AND sequence = 2")).isEqualTo(1);
        }
        Files.delete(year);
        CliRun.Result second = cli.run("resume", "items-to-acme", "-q");
        assertThat(second.code()).as(second.all()).isZero();
        assertThat(drop.resolve("acme/2019/01/items-to-acme-000002/manifest.json")).as("sorts before run 1's folder")
                .exists();
        Files.createSymbolicLink(drop.resolve("acme/elsewhere"), dir);
        CliRun.Result tree = cli.run("verify-delivery", drop.resolve("acme").toString(), "--no-ack", "--state",
                dir.resolve("tree-state").toString());
        assertThat(tree.out()).contains("elsewhere").contains("is a link; not followed");
        Files.delete(drop.resolve("acme/elsewhere"));
        tree = cli.run("verify-delivery", drop.resolve("acme").toString(), "--no-ack", "--state",
                dir.resolve("tree-state-2").toString());
        assertThat(tree.code()).as(tree.all()).isZero();
        String out = tree.out();
        assertThat(out).contains("items-to-acme-000001 as the manifest says", "items-to-acme-000002 as the manifest says");
        assertThat(out.indexOf("items-to-acme-000001 as")).as("run 1 first").isLessThan(out.indexOf("items-to-acme-000002 as"));

        // a run of this template moved elsewhere is refused by the partner's check
        Path moved = dir.resolve("elsewhere/acme/2020/02/items-to-acme-000009");
        Files.createDirectories(moved);
        for (Path p : files(run)) {
            Files.copy(p, moved.resolve(p.getFileName().toString()));
        }
        Files.deleteIfExists(moved.resolve("manifest.json.ack"));
        CliRun.Result refused = cli.run("verify-delivery", moved.toString(), "--no-ack", "--state",
                dir.resolve("other-state").toString());
        assertThat(refused.code()).as(refused.all()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(refused.out()).contains("a run moved from elsewhere");
    }

    /** Over SFTP, through a named destination: the template is the contract's, beside the name. */
    @Test
    void overSftpRunsLandWhereTheTemplateSaysAndVerify() throws Exception {
        SourceDb db = items(500);
        String password = "FAKE-TEMPLATE-SFTP-PASSWORD-7f3a";
        try (SftpServer sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), password)) {
            CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
            Files.writeString(dir.resolve("pw"), password);
            ObjectNode dest = Contracts.sftpDestination(Contracts.base("x", db, "items", dir), sftp, sftp.port(), "x");
            dest.remove("password_secret");
            Files.writeString(dir.resolve("dest.json"), dest.toString());
            CliRun.Result added = cli.run("destination", "add", "acme-drop", "--from-file",
                    dir.resolve("dest.json").toString(), "--password-file", dir.resolve("pw").toString());
            assertThat(added.code()).as(added.all()).isZero();
            ObjectNode contract = Contracts.base("items-sftp", db, "items", dir.resolve("unused"));
            contract.putObject("destination").put("name", "acme-drop").put("type", "sftp");
            Files.writeString(dir.resolve("c.json"), contract.toString());
            CliRun.Result mixed = cli.run("contract", "import", dir.resolve("c.json").toString());
            assertThat(mixed.code()).as(mixed.all()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(mixed.err()).contains("$.destination.type");
            contract.putObject("destination").put("name", "acme-drop")
                    .put("path_template", "{contract}/v{contract_version}/{table}/run-{sequence}");
            Files.writeString(dir.resolve("c.json"), contract.toString());
            assertThat(cli.run("contract", "import", dir.resolve("c.json").toString()).code()).isZero();
            assertThat(cli.run("contract", "export", "items-sftp").out()).contains("\"name\" : \"acme-drop\"",
                    "\"path_template\" : \"{contract}/v{contract_version}/{table}/run-{sequence}\"");
            CliRun.Result remove = cli.run("destination", "remove", "acme-drop");
            assertThat(remove.code()).as("still named by the contract").isEqualTo(ExitCodes.INVALID_INPUT);
            CliRun.Result run = cli.run("run", "items-sftp", "-q");
            assertThat(run.code()).as(run.all()).isZero();
            assertThat(run.out()).contains("items-sftp/v1/items/run-000001");

            Path folder = dir.resolve("sftp/inbound/items-sftp/v1/items/run-000001");
            assertThat(folder.resolve("manifest.json")).exists();
            assertThat(folder.resolve("chunk-000001.jsonl.zst")).exists();
            CliRun.Result verify = cli.run("verify", "items-sftp");
            assertThat(verify.code()).as(verify.all()).isZero();
            assertThat(verify.out()).contains("PASS  chunk-000001.jsonl.zst", "PASS  SHA256SUMS");
            CliRun.Result partner = cli.run("verify-delivery", folder.toString(), "--no-ack");
            assertThat(partner.code()).as(partner.all()).isZero();
        }
    }

    @Test
    void overS3RunsLandUnderThePrefixWhereTheTemplateSaysAndVerify() throws Exception {
        SourceDb db = items(300);
        try (S3Server s3 = S3Server.start(dir.resolve("blobs"), "partner-drop")) {
            CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
            Files.writeString(dir.resolve("ak"), S3Server.ACCESS_KEY);
            Files.writeString(dir.resolve("sk"), S3Server.SECRET_KEY);
            String scope = "s3://127.0.0.1:" + s3.port() + "/partner-drop";
            assertThat(cli.run("secret", "set", "s3-key", "--scope", scope, "--from-file", dir.resolve("ak").toString())
                    .code()).isZero();
            assertThat(cli.run("secret", "set", "s3-secret", "--scope", scope, "--from-file",
                    dir.resolve("sk").toString()).code()).isZero();
            ObjectNode contract = Contracts.base("items-s3", db, "items", dir.resolve("unused"));
            contract.putObject("destination").put("type", "s3").put("endpoint", "http://127.0.0.1:" + s3.port())
                    .put("allow_insecure_http", true).put("bucket", "partner-drop").put("prefix", "exports/")
                    .put("path_style", true).put("access_key_id_secret", "s3-key")
                    .put("secret_access_key_secret", "s3-secret").put("path_template", "{partner}/{contract}/{sequence}");
            Files.writeString(dir.resolve("c.json"), contract.toString());
            assertThat(cli.run("contract", "import", dir.resolve("c.json").toString()).code()).isZero();
            CliRun.Result run = cli.run("run", "items-s3", "-q");
            assertThat(run.code()).as(run.all()).isZero();
            assertThat(s3.blobStore().blobExists("partner-drop", "exports/acme/items-s3/000001/manifest.json")).isTrue();
            assertThat(s3.blobStore().blobExists("partner-drop", "exports/acme/items-s3/000001/chunk-000001.jsonl.zst"))
                    .isTrue();
            CliRun.Result verify = cli.run("verify", "items-s3");
            assertThat(verify.code()).as(verify.all()).isZero();
            assertThat(verify.out()).contains("PASS  chunk-000001.jsonl.zst", "PASS  SHA256SUMS");
        }
    }

    /** Each bad template or dialect is refused naming its field, and nothing is stored. */
    @Test
    void badTemplatesAndDialectsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        SourceDb db = items(10);
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "owner"));
        ObjectNode base = Contracts.base("items-bad", db, "items", dir.resolve("drop"));
        record Bad(String json, String field, String says) {
        }
        List<Bad> cases = List.of(
                new Bad(template(base, "../x/{contract}-{sequence}"), "$.destination.path_template", "\"..\" folder"),
                new Bad(template(base, "/abs/{contract}-{sequence}"), "$.destination.path_template", "relative path"),
                new Bad(template(base, "{contract}/{sequence}/.."), "$.destination.path_template", "\"..\" folder"),
                new Bad(template(base, "{contract}//{sequence}"), "$.destination.path_template", "empty folder name"),
                new Bad(template(base, "{contract}\\{sequence}"), "$.destination.path_template", "literal text"),
                new Bad(template(base, "{contract}/{weekday}/{sequence}"), "$.destination.path_template",
                        "unknown field {weekday}"),
                new Bad(template(base, "{contract}/{yyyy}"), "$.destination.path_template", "must contain {sequence}"),
                new Bad(template(base, "{partner}/{sequence}"), "$.destination.path_template",
                        "must contain {contract}"),
                new Bad(Contracts.json(base, c -> c.putObject("csv").put("delimiter", ";")), "$.csv",
                        "only with \"format\": \"csv\""),
                new Bad(Contracts.json(base, c -> c.put("format", "csv").putObject("csv").put("delimiter", "\"")),
                        "$.csv.delimiter", "must differ"),
                new Bad(Contracts.json(base, c -> c.put("format", "csv").putObject("csv").put("delimiter", "x")),
                        "$.csv.delimiter", "not a letter"),
                new Bad(Contracts.json(base, c -> c.put("format", "csv").putObject("csv").put("quote", "\n")),
                        "$.csv.quote", "printable"),
                new Bad(Contracts.json(base, c -> c.put("format", "csv").putObject("csv").put("null", "a;b")
                        .put("delimiter", ";")), "$.csv.null", "must not contain"),
                new Bad(Contracts.json(base, c -> c.put("format", "csv").putObject("csv").put("line_ending", "cr")),
                        "$.csv.line_ending", "must be one of"));
        int i = 0;
        for (Bad bad : cases) {
            Path file = dir.resolve("bad-" + i++ + ".json");
            Files.writeString(file, bad.json());
            CliRun.Result r = cli.run("contract", "import", file.toString());
            assertThat(r.code()).as(bad.json() + "\n" + r.all()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(bad.json()).contains(bad.field()).contains(bad.says()).doesNotContain("Exception");
        }
        CliRun.Result list = cli.run("contract", "list");
        assertThat(list.all()).as("nothing stored").doesNotContain("items-bad");
        assertThat(dir.resolve("drop")).doesNotExist();

        Files.writeString(dir.resolve("good.json"), template(base, "{contract}/{hh}/{sequence}"));
        assertThat(cli.run("contract", "import", dir.resolve("good.json").toString()).code())
                .as("positive control: the same contract with a good template is accepted").isZero();
        assertThat(cli.run("contract", "list").all()).contains("items-bad");
    }

    private static String template(ObjectNode base, String template) {
        return Contracts.json(base, c -> ((ObjectNode) c.get("destination")).put("path_template", template));
    }

    private Connection store() throws Exception {
        Path state = dir.resolve("ws/state");
        String password = Files.readString(state.resolve("store.password")).trim();
        return DriverManager.getConnection("jdbc:h2:file:" + state.resolve("exportdesk").toAbsolutePath(), "sa",
                password);
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
