package dev.exportdesk.ui.destinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.contract.VerificationSchedule;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.destinations.DestinationForm.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Destinations screen on a real state store and a real in-process SFTP server, without a
 * toolkit: an administrator adds a named SFTP destination typing its password into the form, tests
 * it, and a contract naming it delivers there; the password is then in no byte of the workspace, the
 * audit log or the screen's text. A steward sees the list read-only and the engine refuses (and
 * audits) every change; a destination a contract names cannot be removed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DestinationsViewModelTest {
    static final String PASSWORD = "FAKE-FORM-TYPED-PASSWORD-7d31c9";
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    SftpServer sftp;
    RecordingDialogs dialogs = new RecordingDialogs();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 20);
        sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), PASSWORD);
    }

    @AfterEach
    void close() throws Exception {
        sftp.close();
        fixture.close();
    }

    private DestinationsViewModel model(User user) {
        DestinationsViewModel m = new DestinationsViewModel(fixture.context(user, new DirectTaskRunner(), dialogs,
                Runnable::run), Duration.ofSeconds(10));
        m.refresh();
        return m;
    }

    private void typeSftp(DestinationsViewModel m, String password) {
        m.form().field(Field.NAME).set("acme-sftp");
        m.form().field(Field.TYPE).set("sftp");
        m.form().field(Field.HOST).set("127.0.0.1");
        m.form().field(Field.PORT).set(Integer.toString(sftp.port()));
        m.form().field(Field.USER).set(SftpServer.USER);
        m.form().field(Field.PATH).set("/inbound");
        m.form().field(Field.HOST_KEY).set(sftp.fingerprint());
        m.form().field(Field.PASSWORD).set(password);
    }

    private List<AuditEntry> audit() {
        return fixture.engine(fixture.admin).audit(500);
    }

    @Test
    void aPasswordTypedIntoTheFormReachesTheVaultAndTheContractsRunAndNothingElse() throws Exception {
        DestinationsViewModel m = model(fixture.admin);
        typeSftp(m, "");
        assertThat(m.form().errors().get(Field.PASSWORD)).as("no credential: said at the password field")
                .contains("give a password");
        assertThat(m.canAddProperty().get()).isFalse();
        m.form().field(Field.PORT).set("70000");
        assertThat(m.form().errors().get(Field.PORT)).contains("65535");
        typeSftp(m, PASSWORD);
        assertThat(m.form().errors()).isEmpty();
        assertThat(m.canAddProperty().get()).isTrue();
        m.add();
        assertThat(m.messageProperty().get()).isEqualTo("Added destination acme-sftp.");
        assertThat(m.rows()).extracting(DestinationRow::name).containsExactly("acme-sftp");
        assertThat(m.form().field(Field.PASSWORD).get()).as("never shown back").isEmpty();
        assertThat(fixture.base.secrets().vault().list()).extracting(SecretVault.Entry::name, SecretVault.Entry::scope)
                .containsExactly(org.assertj.core.api.Assertions.tuple("destination.acme-sftp.password",
                        "sftp://127.0.0.1:" + sftp.port()));

        m.selectedProperty().set(m.rows().get(0));
        m.test();
        assertThat(m.messageProperty().get()).startsWith("Destination acme-sftp works: a 64 KiB probe was written");

        // Save without retyping keeps the stored password (and the form is valid without it)
        m.selectedProperty().set(m.rows().get(0));
        assertThat(m.canSaveProperty().get()).isTrue();
        m.save();
        assertThat(m.messageProperty().get()).startsWith("Saved destination acme-sftp");

        GuardedEngine admin = fixture.engine(fixture.admin);
        admin.importContract(DemoContracts.orders(fixture.drop).replaceFirst("\"destination\": \\{[^}]*\\}",
                "\"destination\": \"acme-sftp\""), "orders.json");
        admin.run("orders-to-acme", ProgressListener.NONE);
        try (Stream<Path> files = Files.walk(dir.resolve("sftp/inbound/orders-to-acme"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".jsonl.zst")).count()).as("delivered over SFTP")
                    .isPositive();
        }
        m.refresh();
        assertThat(m.rows().get(0).usedByText()).isEqualTo("orders-to-acme");

        m.selectedProperty().set(m.rows().get(0));
        m.remove();
        assertThat(m.messageProperty().get()).isEqualTo("Not removed: destination \"acme-sftp\" is named by "
                + "contract(s) orders-to-acme; point them at another destination first");
        assertThat(m.rows()).hasSize(1);

        List<AuditEntry> log = audit();
        assertThat(log).extracting(AuditEntry::action).contains("destination.add", "destination.set",
                "destination.test", "secret.set").doesNotContain("destination.remove");
        StringBuilder everything = new StringBuilder(m.messageProperty().get());
        log.forEach(e -> everything.append(e).append('\n'));
        assertThat(everything.toString()).doesNotContain(PASSWORD).contains("destination.acme-sftp.password");
        assertThat(filesContaining(fixture.workspace.root(), PASSWORD)).as("workspace files holding the password")
                .isEmpty();
        assertThat(filesContaining(fixture.workspace.root(), "destination.acme-sftp.password"))
                .as("positive control: the scan reads the store").isNotEmpty();
    }

    @Test
    void aStewardSeesDestinationsButCannotChangeThem() {
        fixture.engine(fixture.admin).destinations().addDestination("drop", "{\"type\":\"folder\",\"path\":"
                + "\"" + fixture.drop.toString().replace("\\", "\\\\") + "\"}", Credentials.NONE);
        User uma = fixture.user("uma", Role.STEWARD);
        DestinationsViewModel m = model(uma);
        assertThat(m.rows()).extracting(DestinationRow::name).containsExactly("drop");
        assertThat(m.noticeProperty().get()).isEqualTo(DestinationsViewModel.READ_ONLY);
        assertThat(m.canManageProperty().get()).isFalse();
        typeSftp(m, PASSWORD);
        assertThat(m.canAddProperty().get() || m.canTestProperty().get() || m.canRemoveProperty().get()).isFalse();
        int before = audit().size();

        GuardedEngine engine = fixture.engine(uma);
        String sftpSpec = "{\"type\":\"sftp\",\"host\":\"127.0.0.1\",\"user\":\"x\",\"path\":\"/in\","
                + "\"password_secret\":\"s\"}";
        Credentials typed = new Credentials(PASSWORD, null, null, null);
        assertThatThrownBy(() -> engine.destinations().addDestination("mine", sftpSpec, typed))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("uma (steward) may not");
        assertThatThrownBy(() -> engine.destinations().changeDestination("drop", sftpSpec, typed))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.destinations().removeDestination("drop")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.destinations().testDestination("drop")).isInstanceOf(AccessDeniedException.class);

        List<AuditEntry> log = audit();
        assertThat(log.subList(0, log.size() - before)).as("only the refusals were audited")
                .extracting(AuditEntry::action).containsOnly("access.denied").hasSize(4);
        assertThat(log).filteredOn(e -> e.actor().equals("uma")).extracting(AuditEntry::action)
                .containsOnly("access.denied").hasSize(4);
        assertThat(fixture.base.secrets().vault().list()).as("nothing reached the vault").isEmpty();
        assertThat(fixture.engine(fixture.admin).destinations().destinationUsage())
                .extracting(u -> u.destination().name() + " " + u.destination().spec().describe())
                .containsExactly("drop folder " + fixture.drop);
        assertThat(log.toString()).doesNotContain(PASSWORD);
    }

    /** Stored inline contracts read back to the same canonical text and still run to their folder. */
    @Test
    void anInlineContractIsUnchanged() throws Exception {
        GuardedEngine admin = fixture.engine(fixture.admin);
        String body = admin.exportContract("customers-to-acme", java.util.Optional.empty()).body();
        assertThat(ContractCodec.write(ContractCodec.parse(body, "stored"), VerificationSchedule.of(body).orElse(null)))
                .isEqualTo(body);
        assertThat(body).contains("\"destination\" : {");
        admin.run("customers-to-acme", ProgressListener.NONE);
        try (Stream<Path> files = Files.walk(fixture.drop.resolve("customers-to-acme"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".csv.gz")).count()).isPositive();
        }
    }

    static List<Path> filesContaining(Path root, String needle) throws Exception {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(f);
                outer:
                for (int i = 0; i <= data.length - n.length; i++) {
                    for (int j = 0; j < n.length; j++) {
                        if (data[i + j] != n[j]) {
                            continue outer;
                        }
                    }
                    hits.add(f);
                    break;
                }
            }
        }
        return hits;
    }
}
