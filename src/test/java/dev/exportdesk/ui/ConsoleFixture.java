package dev.exportdesk.ui;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.demo.DemoShop;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A real workspace on disk with the demo shop (H2) as source and the demo contracts imported, plus
 * users for each role. No engine class is mocked.
 */
public final class ConsoleFixture implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";
    public final Path dir;
    public final Workspace workspace;
    public final EngineContext base;
    public final UserService users;
    public final User admin;
    public final DemoShop shop;
    public final Path drop;
    /** When the status bar's store health warns, for engines made after it is set. */
    public StoreHealth.Thresholds storeThresholds = StoreHealth.Thresholds.DEFAULT;

    private ConsoleFixture(Path dir, Workspace workspace, int orders) throws Exception {
        this.dir = dir;
        this.workspace = workspace;
        this.base = EngineContext.forWorkspace(workspace, Map.of(), Clock.systemUTC(), "console", millis -> { });
        this.users = new UserService(workspace.store(), Clock.systemUTC());
        this.admin = users.needsFirstAdmin() ? users.createFirstAdmin("admin", PASSWORD.toCharArray())
                : users.signIn("admin", PASSWORD.toCharArray());
        this.shop = new DemoShop(dir.resolve("source").resolve("shop"));
        this.drop = dir.resolve("drop");
        if (orders > 0) {
            shop.createIfMissing(200, orders);
            GuardedEngine asAdmin = engine(admin);
            if (asAdmin.sourceConnections().sources().isEmpty()) {
                asAdmin.sourceConnections().addSource(new dev.exportdesk.source.SourceConnection(DemoContracts.SOURCE, shop.jdbcUrl(),
                        DemoShop.READER, null, null));
            }
            asAdmin.importContract(DemoContracts.orders(drop), "orders.json");
            asAdmin.importContract(DemoContracts.customers(drop), "customers.json");
        }
    }

    /** Opens (or creates) the workspace in {@code dir}; {@code orders} > 0 also creates the demo source and contracts. */
    public static ConsoleFixture open(Path dir, int orders) throws Exception {
        return new ConsoleFixture(dir, Workspace.open(dir.resolve("workspace")), orders);
    }

    public User user(String name, Role role) {
        return users.list().stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseGet(() -> users.createUser(admin, name, role, PASSWORD.toCharArray()));
    }

    public GuardedEngine engine(User user) {
        return new GuardedEngine(user, base, storeThresholds);
    }

    public ConsoleContext context(User user, TaskRunner tasks, DialogService dialogs, Executor uiThread) {
        return new ConsoleContext(workspace.root(), engine(user), tasks, dialogs, new RunEvents(uiThread), uiThread,
                Clock.systemUTC());
    }

    @Override
    public void close() {
        workspace.close();
    }
}
