package dev.exportdesk.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FileTrees;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.VictimFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything in a delivery is hostile to the partner's verifier (issue 11, items 4 and 5): links,
 * FIFOs, files no manifest lists, a validly signed run of another contract, a planted trust file
 * and a changed run are all refused, named, without reading or writing through what was planted,
 * and in bounded time; an unchanged run verified before passes again.
 */
class HostileDeliveryTest {
    private static final String A = "items-to-acme";
    private static final String B = "items-to-beta";
    private static final String SECRET = "partner-host private: do not read or overwrite\n";

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static String key;

    /** Two contracts of one sender, two runs each (the second run of each has 100 rows in one chunk). */
    @BeforeAll
    static void deliver() throws Exception {
        SourceDb db = SourceDb.h2(shared);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 500)");
        try (TestEngine t = TestEngine.open(shared.resolve("ws"))) {
            for (String c : List.of(A, B)) {
                t.importContract(Contracts.base(c, db, "items", shared.resolve("drop")).toString());
                assertThat(t.run(c).run().state().finished()).isTrue();
            }
            db.exec("INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-02 12:00:00+00' "
                    + "FROM SYSTEM_RANGE(501, 600)");
            for (String c : List.of(A, B)) {
                assertThat(t.run(c).run().state().finished()).isTrue();
            }
        }
        key = Files.readString(shared.resolve("ws/ledger/verifier.key")).trim();
    }

    private Path copy(String contract) throws IOException {
        return FileTrees.copy(shared.resolve("drop").resolve(contract), dir.resolve("received").resolve(contract));
    }

    private PartnerVerifier.Result verify(Path folder, boolean ack) throws IOException {
        return new PartnerVerifier(key, ack).verify(folder, dir.resolve("partner-state"));
    }

    private static List<Item> failed(PartnerVerifier.Result r) {
        return r.items().stream().filter(i -> !i.ok()).toList();
    }

    private static String text(PartnerVerifier.Result r) {
        StringBuilder sb = new StringBuilder();
        r.items().forEach(i -> sb.append(i.run()).append(' ').append(i.ok() ? "PASS " : "FAIL ").append(i.subject())
                .append(": ").append(i.detail()).append('\n'));
        return sb.toString();
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
    }

    @Test
    void anUntouchedDeliveryPassesAndItsStateIsKeptOutsideIt() throws Exception {
        Path folder = copy(A);
        PartnerVerifier.Result r = verify(folder, true);
        assertThat(failed(r)).as(text(r)).isEmpty();
        assertThat(text(r)).contains("PASS run folder: holds only the run's files",
                "PASS SHA256SUMS: lists every chunk and the ledger files");
        assertThat(dir.resolve("partner-state").resolve(A + ".json")).isRegularFile();
        try (Stream<Path> s = Files.walk(folder)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("verifier"));
        }
    }

    @Test
    void reVerifyingAnUnchangedRunPassesAndAChangedOneFails() throws Exception {
        Path folder = copy(A);
        assertThat(failed(verify(folder, true))).isEmpty();
        PartnerVerifier.Result again = verify(folder, true);
        assertThat(failed(again)).as(text(again)).isEmpty();
        assertThat(text(again)).contains("run-000001 PASS manifest chain: run 1 verified before, manifest unchanged",
                "run-000002 PASS manifest chain: run 2 verified before, manifest unchanged");

        // the sender rewrites run 1 after the partner verified it (a re-signed ledger would not help: the
        // manifest's hash is what the partner remembers)
        Path manifest = folder.resolve("run-000001/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"rows\" : 500", "\"rows\" : 499"));
        PartnerVerifier.Result changed = verify(folder, false);
        assertThat(failed(changed)).extracting(Item::run, Item::subject)
                .contains(org.assertj.core.groups.Tuple.tuple("run-000001", "manifest chain"));
        assertThat(text(changed)).contains("run 1 was verified before with manifest");
    }

    @Test
    void anInjectedChunkNoManifestListsFailsTheRunNamingIt() throws Exception {
        Path folder = copy(A);
        Path run = folder.resolve("run-000002");
        Files.copy(run.resolve("chunk-000001.jsonl.zst"), run.resolve("chunk-000002.jsonl.zst"));
        Files.writeString(run.resolve("extra.csv"), "id\n1\n");
        PartnerVerifier.Result r = verify(folder, true);
        assertThat(failed(r)).as(text(r)).anySatisfy(i -> {
            assertThat(i.run()).isEqualTo("run-000002");
            assertThat(i.subject()).isEqualTo("run folder");
            assertThat(i.detail()).contains("chunk-000002.jsonl.zst", "extra.csv");
        });
        assertThat(run.resolve(PartnerVerifier.RECEIPT_FILE)).doesNotExist();
    }

    @Test
    void aValidlySignedRunOfAnotherContractSwappedInFails() throws Exception {
        Path folder = copy(A);
        Path other = copy(B);
        for (String run : List.of("run-000001", "run-000002")) {
            FileTrees.delete(folder.resolve(run));
            FileTrees.copy(other.resolve(run), folder.resolve(run));
        }
        PartnerVerifier.Result fresh = verify(folder, true);
        assertThat(failed(fresh)).as(text(fresh)).anySatisfy(i -> {
            assertThat(i.subject()).isEqualTo("run folder");
            assertThat(i.detail()).contains("of contract " + B, "in " + A);
        });
        assertThat(folder.resolve("run-000001").resolve(PartnerVerifier.RECEIPT_FILE)).doesNotExist();
        assertThat(dir.resolve("partner-state").resolve(B + ".json")).doesNotExist();
    }

    @Test
    void aRunMovedToAnotherSequenceFails() throws Exception {
        Path folder = copy(A);
        FileTrees.delete(folder.resolve("run-000001"));
        Files.move(folder.resolve("run-000002"), folder.resolve("run-000001"));
        PartnerVerifier.Result r = verify(folder, false);
        assertThat(failed(r)).as(text(r)).anySatisfy(i -> assertThat(i.detail()).contains("the folder is run-000001"));
    }

    @Test
    void linksPlantedAsAChunkAManifestOrTheReceiptAreRefusedUnreadAndNotWrittenThrough() throws Exception {
        VictimFile victim = VictimFile.create(dir, SECRET);
        Path folder = copy(A);
        Path run2 = folder.resolve("run-000002");
        Files.delete(run2.resolve("chunk-000001.jsonl.zst"));
        Files.createSymbolicLink(run2.resolve("chunk-000001.jsonl.zst"), victim.path());
        // the receipt's old predictable temporary name and the receipt itself, in a run that otherwise passes
        Path run1 = folder.resolve("run-000001");
        Files.createSymbolicLink(run1.resolve(PartnerVerifier.RECEIPT_FILE + ".tmp"), victim.path());
        Files.createSymbolicLink(run1.resolve(PartnerVerifier.RECEIPT_FILE), victim.path());

        PartnerVerifier.Result r = verify(folder, true);
        assertThat(failed(r)).as(text(r)).anySatisfy(i -> {
            assertThat(i.run()).isEqualTo("run-000002");
            assertThat(i.subject()).isEqualTo("chunk-000001.jsonl.zst");
            assertThat(i.detail()).contains("symbolic link").doesNotContain("rows");
        });
        assertThat(failed(r)).anySatisfy(i -> assertThat(i.detail()).contains(PartnerVerifier.RECEIPT_FILE + ".tmp"));
        victim.assertUntouched();

        Path other = copy(B).resolve("run-000001");
        Files.delete(other.resolve("manifest.json"));
        Files.createSymbolicLink(other.resolve("manifest.json"), victim.path());
        PartnerVerifier.Result m = verify(other, true);
        assertThat(failed(m)).as(text(m)).anySatisfy(i -> {
            assertThat(i.subject()).isEqualTo("manifest.json");
            assertThat(i.detail()).contains("symbolic link").doesNotContain(SECRET.trim());
        });
        victim.assertUntouched();
    }

    @Test
    void aLinkAtTheReceiptsNameFailsTheRunAndIsNeitherReadNorWrittenThrough() throws Exception {
        VictimFile victim = VictimFile.create(dir, SECRET);
        Path run1 = copy(A).resolve("run-000001");
        Files.createSymbolicLink(run1.resolve(PartnerVerifier.RECEIPT_FILE), victim.path());
        PartnerVerifier.Result r = verify(run1, true);
        assertThat(failed(r)).as(text(r)).extracting(Item::subject).containsExactly("run folder",
                PartnerVerifier.RECEIPT_FILE);
        assertThat(text(r)).contains("manifest.json.ack is a symbolic link");
        assertThat(Files.isSymbolicLink(run1.resolve(PartnerVerifier.RECEIPT_FILE))).isTrue();
        victim.assertUntouched();
    }

    @Test
    void fifosInADeliveryFailWithinABoundNamingTheFile() throws Exception {
        Path folder = copy(A);
        Path run2 = folder.resolve("run-000002");
        Files.delete(run2.resolve("chunk-000001.jsonl.zst"));
        mkfifo(run2.resolve("chunk-000001.jsonl.zst"));
        Path run1 = folder.resolve("run-000001");
        Files.delete(run1.resolve("SHA256SUMS"));
        mkfifo(run1.resolve("SHA256SUMS"));
        mkfifo(run1.resolve("notes"));
        PartnerVerifier.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> verify(folder, true));
        String text = text(r);
        assertThat(failed(r)).as(text).anySatisfy(i -> {
            assertThat(i.subject()).isEqualTo("chunk-000001.jsonl.zst");
            assertThat(i.detail()).contains("FIFO");
        });
        assertThat(text).contains("run-000001 FAIL SHA256SUMS", "run-000001 FAIL run folder")
                .contains("SHA256SUMS is a FIFO, socket or device", "notes (FIFO, socket or device)");
    }

    /** With no --state, the standalone verifier keeps its state in the partner's home, not in the folder. */
    @Test
    void aTrustFilePlantedInTheDeliveryIsNotRead() throws Exception {
        Path folder = copy(A);
        // the pre-issue-11 default state file: the sender could pick what the partner trusts
        Path planted = folder.resolve(".exportdesk-verifier.json");
        Files.writeString(planted, "{\"contracts\":{\"" + A + "\":{\"origin\":\"x\",\"tree_size\":1,\"root\":\"AAAA\","
                + "\"sequence\":5,\"manifest_sha256\":\"" + "0".repeat(64) + "\"}}}", StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(planted);
        String home = System.getProperty("user.home");
        java.io.StringWriter out = new java.io.StringWriter();
        int code;
        try {
            System.setProperty("user.home", dir.resolve("partner-home").toString());
            code = dev.exportdesk.cli.verifier.VerifierMain.run(folder, key, null, false, new java.io.PrintWriter(out),
                    new java.io.PrintWriter(out));
        } finally {
            System.setProperty("user.home", home);
        }
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("PASS  manifest chain: first run of the contract");
        assertThat(dir.resolve("partner-home/.exportdesk-verifier").resolve(A + ".json")).isRegularFile();
        assertThat(Files.readAllBytes(planted)).isEqualTo(before);
    }
}
