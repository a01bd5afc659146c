package dev.exportdesk.demo;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * The demo's source: an embedded H2 shop database with customers and orders whose updates are
 * spread over the last 30 days — including many rows sharing one timestamp (batch jobs do that),
 * unicode names, empty and NULL notes — and a method that applies a realistic round of changes.
 */
public final class DemoShop {
    private static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};
    private static final String[] CITIES = {"Berlin", "München", "São Paulo", "Zürich", "東京", "Kraków", "Lyon",
        "Toronto", "Αθήνα", "Reykjavík"};
    private static final String[] NAMES = {"Ana", "Björn", "Chen", "Dana", "Émile", "Farah", "Gökhan", "Hana",
        "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Olu", "Priya"};
    private final String jdbcUrl;

    public DemoShop(Path databaseFile) {
        this.jdbcUrl = "jdbc:h2:file:" + databaseFile.toAbsolutePath();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user the engine reads as: SELECT rights only, so a contract's query can neither write nor read files. */
    public static final String READER = "reader";

    /** What {@link #applyChanges} did, for the demo's narration. */
    public record Changes(int ordersUpdated, int ordersAdded, int ordersDeleted, int lateOrders,
                          int customersUpdated) {
    }

    /** Creates and fills the tables unless they already exist; returns true when it created them. */
    public boolean createIfMissing(int customers, int orders) throws SQLException {
        try (Connection c = connect()) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, "ORDERS", null)) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, "
                        + "email VARCHAR(200), city VARCHAR(100), updated_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "deleted_at TIMESTAMP WITH TIME ZONE)");
                st.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, "
                        + "status VARCHAR(20) NOT NULL, amount NUMERIC(12,2) NOT NULL, currency CHAR(3) NOT NULL, "
                        + "note VARCHAR(2000), ordered_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
                st.execute("CREATE INDEX orders_cursor ON orders(updated_at, id)");
                st.execute("CREATE INDEX customers_cursor ON customers(updated_at, id)");
                st.execute("CREATE USER IF NOT EXISTS " + READER + " PASSWORD ''");
                st.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + READER);
            }
            Random random = new Random(42);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
            OffsetDateTime batch = now.minusDays(3).withNano(0);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?, ?, NULL)")) {
                for (int i = 1; i <= customers; i++) {
                    String name = NAMES[random.nextInt(NAMES.length)] + " " + (char) ('A' + random.nextInt(26)) + ".";
                    ins.setLong(1, i);
                    ins.setString(2, name);
                    ins.setString(3, random.nextInt(10) == 0 ? null : "customer" + i + "@example.org");
                    ins.setString(4, CITIES[random.nextInt(CITIES.length)]);
                    ins.setObject(5, past(now, random));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                for (int i = 1; i <= orders; i++) {
                    // the newest order pins the cursor five minutes back, so the late order below lands behind it
                    OffsetDateTime updated = i == orders ? now : random.nextInt(10) == 0 ? batch : past(now, random);
                    fillOrder(ins, i, customers, updated, random);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            c.commit();
            return true;
        }
    }

    /** One round of activity: updates, new orders, soft deletes and one order whose transaction committed late. */
    public Changes applyChanges() throws SQLException {
        Random random = new Random(System.nanoTime());
        try (Connection c = connect()) {
            int maxId;
            int customers;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT MAX(id), (SELECT COUNT(*) FROM customers) FROM orders")) {
                rs.next();
                maxId = rs.getInt(1);
                customers = rs.getInt(2);
            }
            int updated = 0;
            try (PreparedStatement st = c.prepareStatement("UPDATE orders SET status = ?, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND deleted_at IS NULL")) {
                for (int i = 0; i < 40; i++) {
                    st.setString(1, STATUSES[1 + random.nextInt(3)]);
                    st.setLong(2, 1 + random.nextInt(maxId));
                    updated += st.executeUpdate();
                }
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                for (int i = 1; i <= 25; i++) {
                    fillOrder(ins, maxId + i, customers, now, random);
                    ins.addBatch();
                }
                // Stamped eight minutes ago but committed only now: behind the last run's cursor,
                // inside the contract's 15-minute lookback.
                fillOrder(ins, maxId + 26, customers, now.minusMinutes(8), random);
                ins.addBatch();
                ins.executeBatch();
            }
            int deleted = 0;
            try (PreparedStatement st = c.prepareStatement("UPDATE orders SET deleted_at = CURRENT_TIMESTAMP, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND deleted_at IS NULL")) {
                for (int i = 0; i < 5; i++) {
                    st.setLong(1, 1 + random.nextInt(maxId));
                    deleted += st.executeUpdate();
                }
            }
            int customersUpdated;
            try (PreparedStatement st = c.prepareStatement("UPDATE customers SET city = ?, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE MOD(id, 50) = ?")) {
                st.setString(1, CITIES[random.nextInt(CITIES.length)]);
                st.setInt(2, random.nextInt(50));
                customersUpdated = st.executeUpdate();
            }
            c.commit();
            return new Changes(updated, 25, deleted, 1, customersUpdated);
        }
    }

    private static void fillOrder(PreparedStatement ins, long id, int customers, OffsetDateTime updated, Random random)
            throws SQLException {
        ins.setLong(1, id);
        ins.setLong(2, 1 + random.nextInt(customers));
        ins.setString(3, STATUSES[random.nextInt(STATUSES.length)]);
        ins.setBigDecimal(4, BigDecimal.valueOf(100 + random.nextInt(99_900), 2));
        ins.setString(5, random.nextBoolean() ? "EUR" : "USD");
        int noteKind = random.nextInt(5);
        ins.setString(6, noteKind == 0 ? null : noteKind == 1 ? "" : noteKind == 2
                ? "Leave at the door, \"please\"" : "gift wrap, no invoice");
        ins.setObject(7, updated.minus(Duration.ofHours(random.nextInt(48))));
        ins.setObject(8, updated);
    }

    private static OffsetDateTime past(OffsetDateTime now, Random random) {
        return now.minusSeconds(random.nextInt(30 * 24 * 3600)).withNano(random.nextInt(1000) * 1_000_000);
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
        c.setAutoCommit(false);
        return c;
    }
}
