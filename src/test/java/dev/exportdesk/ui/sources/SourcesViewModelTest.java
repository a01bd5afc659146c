package dev.exportdesk.ui.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.demo.DemoShop;
import dev.exportdesk.engine.SourceService;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.sources.SourceForm.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sources screen on a real state store and the demo's H2 shop, without a toolkit: an
 * administrator adds, tests, changes and removes a connection, each audited; a URL outside the
 * allow-list is shown at its field and never reaches a driver (nothing connects to the address it
 * names); a steward sees the list read-only and the engine refuses every change even when called
 * directly; a connection contracts name cannot be removed; a test against a host that never
 * answers gives up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SourcesViewModelTest {
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    RecordingDialogs dialogs = new RecordingDialogs();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 20);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private SourcesViewModel model(User user, Duration testTimeout) {
        SourcesViewModel m = new SourcesViewModel(fixture.context(user, new DirectTaskRunner(), dialogs, Runnable::run),
                testTimeout);
        m.refresh();
        return m;
    }

    private SourcesViewModel model(User user) {
        return model(user, Duration.ofSeconds(10));
    }

    private static void type(SourcesViewModel m, String name, String url, String user) {
        m.form().field(Field.NAME).set(name);
        m.form().field(Field.JDBC_URL).set(url);
        m.form().field(Field.USER).set(user);
    }

    private static SourceRow row(SourcesViewModel m, String name) {
        return m.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private List<AuditEntry> audit() {
        return fixture.engine(fixture.admin).audit(200);
    }

    @Test
    void anAdminAddsTestsChangesAndRemovesAConnection() {
        SourcesViewModel m = model(fixture.admin);
        assertThat(m.canManageProperty().get()).isTrue();
        assertThat(m.noticeProperty().get()).isEmpty();
        assertThat(row(m, DemoContracts.SOURCE).usedBy()).containsExactly("customers-to-acme", "orders-to-acme");

        type(m, "shop-copy", "jdbc:h2:file:/nowhere/" + "x;INIT=1", DemoShop.READER);
        assertThat(m.canAddProperty().get()).isFalse();
        type(m, "shop-copy", fixture.shop.jdbcUrl(), DemoShop.READER);
        assertThat(m.form().errors()).isEmpty();
        assertThat(m.validProperty().get()).isTrue();
        assertThat(m.canAddProperty().get()).isTrue();
        assertThat(m.canSaveProperty().get()).as("no connection of that name yet").isFalse();

        m.test();
        assertThat(m.messageProperty().get()).startsWith("Source shop-copy reachable: H2 ");
        assertThat(m.busyProperty().get()).isFalse();
        m.add();
        assertThat(m.messageProperty().get()).isEqualTo("Added source connection shop-copy.");
        assertThat(row(m, "shop-copy").usedByText()).isEqualTo("no contract");
        assertThat(row(m, "shop-copy").user()).isEqualTo(DemoShop.READER);
        assertThat(row(m, "shop-copy").password()).isEqualTo("none");
        assertThat(m.selectedProperty().get().name()).isEqualTo("shop-copy");
        assertThat(m.canAddProperty().get()).isFalse();
        assertThat(m.canSaveProperty().get()).isTrue();

        m.form().field(Field.USER).set("");
        m.form().field(Field.USER_ENV).set("SHOP_USER");
        m.form().field(Field.PASSWORD_ENV).set("SHOP_PW");
        m.save();
        assertThat(m.messageProperty().get()).startsWith("Saved source connection shop-copy");
        assertThat(row(m, "shop-copy").user()).isEqualTo("from $SHOP_USER");
        assertThat(row(m, "shop-copy").password()).isEqualTo("from $SHOP_PW");
        assertThat(fixture.engine(fixture.admin).sourceConnections().sources()).contains(new SourceConnection("shop-copy",
                fixture.shop.jdbcUrl(), null, "SHOP_USER", "SHOP_PW"));

        dialogs.answer = false;
        m.remove();
        assertThat(m.rows()).as("not confirmed: kept").extracting(SourceRow::name).contains("shop-copy");
        dialogs.answer = true;
        m.remove();
        assertThat(m.messageProperty().get()).isEqualTo("Removed source connection shop-copy.");
        assertThat(m.rows()).extracting(SourceRow::name).containsExactly(DemoContracts.SOURCE);
        assertThat(m.form().field(Field.NAME).get()).isEmpty();

        List<String> actions = audit().stream().filter(e -> e.actor().equals("admin")
                && e.subject().equals("source shop-copy")).map(AuditEntry::action).toList();
        assertThat(actions).contains("source.test", "source.create", "source.change", "source.remove");
    }

    @Test
    void aHostileUrlIsShownAtItsFieldAndNeverReachesADriver() throws Exception {
        try (ServerSocket script = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String hostile = "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://127.0.0.1:" + script.getLocalPort() + "/x'";
            SourcesViewModel m = model(fixture.admin);
            int auditBefore = audit().size();
            type(m, "evil", hostile, DemoShop.READER);

            assertThat(m.form().errors()).containsOnlyKeys(Field.JDBC_URL);
            assertThat(m.form().errors().get(Field.JDBC_URL)).contains("setting \"INIT\" is not allowed")
                    .contains("in-memory and other H2 file systems are not allowed");
            assertThat(m.canAddProperty().get()).isFalse();
            assertThat(m.canTestProperty().get()).isFalse();
            m.add();
            m.test();
            GuardedEngine engine = fixture.engine(fixture.admin);
            SourceConnection evil = new SourceConnection("evil", hostile, DemoShop.READER, null, null);
            assertThatThrownBy(() -> engine.sourceConnections().addSource(evil)).isInstanceOf(SourceService.SourceDefinitionException.class)
                    .hasMessageContaining("jdbc_url: setting \"INIT\" is not allowed");
            assertThatThrownBy(() -> engine.sourceConnections().testSourceConnection(evil))
                    .isInstanceOf(SourceService.SourceDefinitionException.class);

            assertThat(engine.sourceConnections().sources()).extracting(SourceConnection::name).containsExactly(DemoContracts.SOURCE);
            assertThat(audit().subList(0, audit().size() - auditBefore)).as("nothing audited: nothing happened")
                    .isEmpty();
            script.setSoTimeout(300);
            assertThatThrownBy(script::accept).as("no driver fetched the script")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aStewardSeesTheListReadOnlyAndTheEngineRefusesChanges() {
        User uma = fixture.user("uma", Role.STEWARD);
        SourcesViewModel m = model(uma);
        assertThat(m.canManageProperty().get()).isFalse();
        assertThat(m.noticeProperty().get()).isEqualTo(SourcesViewModel.READ_ONLY);
        assertThat(m.rows()).extracting(SourceRow::name).containsExactly(DemoContracts.SOURCE);
        m.selectedProperty().set(row(m, DemoContracts.SOURCE));
        assertThat(m.form().field(Field.JDBC_URL).get()).isEqualTo(fixture.shop.jdbcUrl());
        type(m, "mine", fixture.shop.jdbcUrl(), DemoShop.READER);
        assertThat(m.canAddProperty().get()).isFalse();
        assertThat(m.canSaveProperty().get() || m.canRemoveProperty().get() || m.canTestProperty().get()).isFalse();
        m.add();
        m.remove();
        assertThat(dialogs.confirmations).isEmpty();

        GuardedEngine engine = fixture.engine(uma);
        SourceConnection mine = new SourceConnection("mine", fixture.shop.jdbcUrl(), DemoShop.READER, null, null);
        SourceConnection shop = new SourceConnection(DemoContracts.SOURCE, fixture.shop.jdbcUrl(), "sa", null, null);
        assertThatThrownBy(() -> engine.sourceConnections().addSource(mine)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("uma (steward) may not");
        assertThatThrownBy(() -> engine.sourceConnections().changeSource(shop)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.sourceConnections().removeSource(DemoContracts.SOURCE)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.sourceConnections().testSourceConnection(mine)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> engine.sourceConnections().sourceProblems(mine)).isInstanceOf(AccessDeniedException.class);

        assertThat(fixture.engine(fixture.admin).sourceConnections().sources()).containsExactly(new SourceConnection(DemoContracts.SOURCE,
                fixture.shop.jdbcUrl(), DemoShop.READER, null, null));
        List<AuditEntry> log = audit();
        assertThat(log).filteredOn(e -> e.actor().equals("uma")).extracting(AuditEntry::action)
                .containsOnly("access.denied").hasSize(5);
        assertThat(log).noneMatch(e -> e.action().startsWith("source.") && e.actor().equals("uma"));
    }

    @Test
    void aConnectionContractsNameIsNotRemoved() {
        SourcesViewModel m = model(fixture.admin);
        m.selectedProperty().set(row(m, DemoContracts.SOURCE));
        m.remove();
        assertThat(m.messageProperty().get()).isEqualTo("Not removed: source \"" + DemoContracts.SOURCE + "\" is named "
                + "by contract(s) customers-to-acme, orders-to-acme; point them at another source first");
        assertThat(m.rows()).extracting(SourceRow::name).containsExactly(DemoContracts.SOURCE);
        assertThat(audit()).noneMatch(e -> e.action().equals("source.remove"));
    }

    @Test
    void aTestAgainstAHostThatNeverAnswersGivesUp() throws Exception {
        // accepts connections into its backlog and never says a word
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SourcesViewModel m = model(fixture.admin, Duration.ofMillis(500));
            type(m, "silent", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/shop", "reader");
            assertThat(m.canTestProperty().get()).isTrue();
            m.test();
            assertThat(m.messageProperty().get())
                    .isEqualTo("Source silent not reachable. No answer in time: gave up after 0.5 s");
            assertThat(m.busyProperty().get()).isFalse();
            assertThat(m.canAddProperty().get()).as("the form is usable again").isTrue();
        }
    }
}
