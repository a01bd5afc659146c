package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a steward picks a contract's table, columns, key and cursor from: the source's tables and a
 * table's columns with its primary key, through the CLI on real H2 and PostgreSQL sources; a
 * column name carrying a terminal escape reaches the terminal neutralised.
 */
class SourceCatalogTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void tablesAndColumnsWithTheRulesForKeysAndCursors(String kind) throws Exception {
        SourceDb db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE shop_orders (id BIGINT NOT NULL, region VARCHAR(10) NOT NULL, note VARCHAR(100), "
                        + "ratio DOUBLE PRECISION NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "\"evil\u001b[2Jname\" INT, PRIMARY KEY (region, id))",
                "CREATE VIEW recent_orders AS SELECT id, updated_at FROM shop_orders");
        if (kind.equals("postgresql")) {
            db.exec("GRANT SELECT ON shop_orders, recent_orders TO exportdesk_reader");
        } else {
            db.exec("GRANT SELECT ON shop_orders TO " + SourceDb.H2_READER,
                    "GRANT SELECT ON recent_orders TO " + SourceDb.H2_READER);
        }
        CliRun cli = new CliRun(dir.resolve("ws"));
        assertThat(cli.run("source", "add", "shop", "--jdbc-url", db.jdbcUrl(), "--user", db.reader()).code()).isZero();

        CliRun.Result tables = cli.run("source", "tables", "shop");
        assertThat(tables.code()).as(tables.all()).isZero();
        assertThat(tables.out().lines().map(l -> l.toLowerCase(java.util.Locale.ROOT)))
                .contains("shop_orders", "recent_orders");
        assertThat(tables.out()).doesNotContainIgnoringCase("information_schema");

        CliRun.Result columns = cli.run("source", "columns", "shop", "shop_orders");
        assertThat(columns.code()).as(columns.all()).isZero();
        String out = columns.out().toLowerCase(java.util.Locale.ROOT);
        assertThat(out.lines().filter(l -> l.startsWith("id ")).findFirst().orElseThrow())
                .contains("not null").contains("yes").contains("key or cursor");
        assertThat(out.lines().filter(l -> l.startsWith("region ")).findFirst().orElseThrow())
                .contains("yes").endsWith("key");
        assertThat(out.lines().filter(l -> l.startsWith("note ")).findFirst().orElseThrow()).contains("no: nullable");
        assertThat(out.lines().filter(l -> l.startsWith("ratio ")).findFirst().orElseThrow())
                .contains("cannot order a keyset scan exactly");
        assertThat(out.lines().filter(l -> l.startsWith("updated_at ")).findFirst().orElseThrow())
                .contains("key or cursor");
        assertThat(columns.all()).as("no raw escape reaches the terminal").doesNotContain("\u001b");

        CliRun.Result missing = cli.run("source", "columns", "shop", "no_such_table");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("no_such_table").doesNotContain("Exception");
        CliRun.Result unknown = cli.run("source", "tables", "nope");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("nope");
    }
}
