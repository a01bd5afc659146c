package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.source.KeyOrder;
import dev.exportdesk.source.SourceSchema;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The copy hand-off compares keys at the source with the key column's own type and collation, whose
 * names come from the source's catalog. A collation named to break out of the comparison runs nothing:
 * the names are quoted by the server and the values are bound. And the order is the source's, not Java's.
 */
class KeyOrderTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void catalogNamesNeverBecomeSqlAndTheOrderIsTheSources() throws Exception {
        LogicalDb db = LogicalDb.create();
        String hostile = "c\"); SELECT pg_sleep(30); DROP TABLE keyed; --";
        db.exec("CREATE COLLATION \"" + hostile.replace("\"", "\"\"") + "\" (provider = icu, locale = 'und')",
                "CREATE TABLE keyed (id TEXT COLLATE \"" + hostile.replace("\"", "\"\"") + "\" PRIMARY KEY, v INT)");
        try (Connection c = db.connect()) {
            SourceSchema schema = db.schema(c, "keyed", "id", n -> { });
            KeyOrder order = KeyOrder.of(c, schema);
            long started = System.nanoTime();
            // ICU's root collation puts lower case before upper case, unlike Java's String order
            assertThat(order.compare(new Object[] {"a"}, new Object[] {"B"})).isNegative();
            assertThat(order.compare(new Object[] {"B"}, new Object[] {"a"})).isPositive();
            assertThat("a".compareTo("B")).as("Java would say the opposite").isPositive();
            assertThat(order.compare(new Object[] {"x"}, new Object[] {"x"})).isZero();
            assertThat(System.nanoTime() - started).as("no pg_sleep ran").isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'keyed'")).as("the table is there")
                .isOne();
    }
}
