package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.SourceDb;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each bad setup gives its own problem, naming what the DBA changes and the SQL to run — and a good
 * setup none. Checked as the capture's own role (REPLICATION, read rights), never as a superuser.
 */
class LogicalSetupTest {
    private static final String PLANTED = "planted-row-value-7f3a";
    private static LogicalDb db;

    @BeforeAll
    static void database() throws Exception {
        db = LogicalDb.create();
        db.exec("CREATE ROLE plain_reader LOGIN", "GRANT pg_read_all_data TO plain_reader",
                "CREATE ROLE no_select LOGIN REPLICATION");
    }

    private static LogicalSetup.Report check(String role, String table, String key, String publication)
            throws Exception {
        LogicalTable t = db.table(table, key);
        try (Connection c = db.connectAs(role)) {
            return LogicalSetup.check(c, t, publication, "s_" + table.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static List<LogicalSetup.Check> checks(LogicalSetup.Report r) {
        return r.problems().stream().map(LogicalSetup.Problem::check).toList();
    }

    @Test
    void aGoodSetupHasNoProblemsAndReportsTheWalBound() throws Exception {
        db.exec("CREATE TABLE good (id BIGINT PRIMARY KEY, n INT, at TIMESTAMPTZ)",
                "CREATE PUBLICATION good_pub FOR TABLE good");
        LogicalSetup.Report r = check(LogicalDb.REPLICATOR, "good", "id", "good_pub");
        assertThat(r.problems()).isEmpty();
        assertThat(r.maxSlotWalKeepSize()).isEqualTo("-1");
        assertThat(r.notes()).singleElement().asString().contains("max_slot_wal_keep_size is unbounded");
        r.require();
    }

    @Test
    void aPublicationForAllTablesCoversTheTable() throws Exception {
        db.exec("CREATE TABLE everywhere (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION all_pub FOR ALL TABLES");
        assertThat(check(LogicalDb.REPLICATOR, "everywhere", "id", "all_pub").problems()).isEmpty();
    }

    @Test
    void walLevelReplicaIsRefused() throws Exception {
        SourceDb replica = SourceDb.postgres(); // the shared cluster runs with wal_level=replica
        replica.exec("CREATE TABLE r (id BIGINT PRIMARY KEY)");
        LogicalDb other = new LogicalDb(replica);
        LogicalTable t = other.table("r", "id");
        try (Connection c = replica.connect()) {
            LogicalSetup.Report r = LogicalSetup.check(c, t, "r_pub", "r_slot");
            assertThat(r.problems()).first().satisfies(p -> {
                assertThat(p.check()).isEqualTo(LogicalSetup.Check.WAL_LEVEL);
                assertThat(p.message()).contains("wal_level is \"replica\"");
                assertThat(p.fix()).isEqualTo("ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL");
            });
        }
    }

    @Test
    void aMissingPublicationIsNamedWithTheSqlToCreateIt() throws Exception {
        db.exec("CREATE TABLE nopub (id BIGINT PRIMARY KEY)");
        LogicalSetup.Report r = check(LogicalDb.REPLICATOR, "nopub", "id", "missing_pub");
        assertThat(checks(r)).containsExactly(LogicalSetup.Check.PUBLICATION);
        assertThat(r.problems().get(0).fix()).isEqualTo("CREATE PUBLICATION missing_pub FOR TABLE \"public\".\"nopub\";");
        assertThatThrownBy(r::require).isInstanceOf(CaptureException.class).hasMessageContaining("missing_pub does not "
                + "exist");
    }

    @Test
    void aTableOutsideThePublicationOrOnlyPartlyInItIsRefused() throws Exception {
        db.exec("CREATE TABLE outside (id BIGINT PRIMARY KEY)", "CREATE TABLE elsewhere (id BIGINT PRIMARY KEY)",
                "CREATE PUBLICATION elsewhere_pub FOR TABLE elsewhere",
                "CREATE TABLE partial (id BIGINT PRIMARY KEY, secret_col INT, flag BOOL)",
                "CREATE PUBLICATION partial_pub FOR TABLE partial (id, flag) WHERE (flag)",
                "CREATE TABLE inserts (id BIGINT PRIMARY KEY)",
                "CREATE PUBLICATION inserts_pub FOR TABLE inserts WITH (publish = 'insert')");
        LogicalSetup.Report outside = check(LogicalDb.REPLICATOR, "outside", "id", "elsewhere_pub");
        assertThat(checks(outside)).containsExactly(LogicalSetup.Check.PUBLICATION_COVERS_TABLE);
        assertThat(outside.problems().get(0).fix()).isEqualTo("ALTER PUBLICATION elsewhere_pub ADD TABLE "
                + "\"public\".\"outside\";");
        LogicalSetup.Report partial = check(LogicalDb.REPLICATOR, "partial", "id", "partial_pub");
        assertThat(checks(partial)).containsExactly(LogicalSetup.Check.PUBLICATION_COVERS_TABLE);
        assertThat(partial.problems().get(0).message()).contains("without exported column(s) secret_col");
        LogicalSetup.Report inserts = check(LogicalDb.REPLICATOR, "inserts", "id", "inserts_pub");
        assertThat(checks(inserts)).containsExactly(LogicalSetup.Check.PUBLICATION_ACTIONS);
        assertThat(inserts.problems().get(0).fix()).contains("publish = 'insert, update, delete, truncate'");
    }

    @Test
    void replicaIdentityMustCarryTheKeyAndTheOldRowOfToastableColumns() throws Exception {
        db.exec("CREATE TABLE keyless (code BIGINT NOT NULL, n INT)", "CREATE TABLE nothing (id BIGINT PRIMARY KEY)",
                "ALTER TABLE nothing REPLICA IDENTITY NOTHING",
                "CREATE TABLE toasty (id BIGINT PRIMARY KEY, body TEXT)",
                "CREATE TABLE otherkey (id BIGINT PRIMARY KEY, code BIGINT NOT NULL UNIQUE)",
                "CREATE TABLE fixed (id BIGINT PRIMARY KEY, body TEXT)", "ALTER TABLE fixed REPLICA IDENTITY FULL",
                "CREATE PUBLICATION id_pub FOR TABLE keyless, nothing, toasty, otherkey, fixed");
        LogicalSetup.Report keyless = check(LogicalDb.REPLICATOR, "keyless", "code", "id_pub");
        assertThat(checks(keyless)).containsExactly(LogicalSetup.Check.REPLICA_IDENTITY);
        assertThat(keyless.problems().get(0).message()).contains("has no primary key");
        assertThat(keyless.problems().get(0).fix()).isEqualTo("ALTER TABLE \"public\".\"keyless\" REPLICA IDENTITY "
                + "FULL;");
        assertThat(check(LogicalDb.REPLICATOR, "nothing", "id", "id_pub").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("REPLICA IDENTITY NOTHING"));
        assertThat(check(LogicalDb.REPLICATOR, "toasty", "id", "id_pub").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("column(s) body").contains("TOASTed"));
        assertThat(check(LogicalDb.REPLICATOR, "otherkey", "code", "id_pub").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("does not include key column(s) code"));
        assertThat(check(LogicalDb.REPLICATOR, "fixed", "id", "id_pub").problems()).isEmpty();
    }

    @Test
    void theRoleNeedsReplicationAndTheRightToReadTheTable() throws Exception {
        db.exec("CREATE TABLE guarded (id BIGINT PRIMARY KEY, v TEXT)", "CREATE PUBLICATION guarded_pub FOR TABLE "
                + "guarded", "INSERT INTO guarded VALUES (1, '" + PLANTED + "')");
        LogicalSetup.Report plain = check("plain_reader", "guarded", "id", "guarded_pub");
        assertThat(checks(plain)).containsExactly(LogicalSetup.Check.REPLICATION_PRIVILEGE,
                LogicalSetup.Check.REPLICA_IDENTITY);
        assertThat(plain.problems().get(0).fix()).startsWith("ALTER ROLE \"plain_reader\" REPLICATION;");
        LogicalSetup.Report blind = check("no_select", "guarded", "id", "guarded_pub");
        assertThat(checks(blind)).contains(LogicalSetup.Check.TABLE_PRIVILEGE);
        assertThat(blind.problems().stream().filter(p -> p.check() == LogicalSetup.Check.TABLE_PRIVILEGE)
                .findFirst().orElseThrow().fix()).isEqualTo("GRANT SELECT ON \"public\".\"guarded\" TO \"no_select\";");
        for (LogicalSetup.Problem p : List.of(plain.problems(), blind.problems()).stream().flatMap(List::stream)
                .toList()) {
            assertThat(p.toString()).doesNotContain(PLANTED);
        }
    }

    @Test
    void columnsTheLogCannotGiveAsTheScansDoAreNamed() throws Exception {
        db.exec("CREATE TABLE typed (id BIGINT PRIMARY KEY, price MONEY, tags INT[], doubled BIGINT GENERATED "
                + "ALWAYS AS (id * 2) STORED)", "ALTER TABLE typed REPLICA IDENTITY FULL",
                "CREATE PUBLICATION typed_pub FOR TABLE typed");
        LogicalSetup.Report r = check(LogicalDb.REPLICATOR, "typed", "id", "typed_pub");
        assertThat(r.problems()).extracting(LogicalSetup.Problem::message).containsExactly(
                "exported column price has type money, whose text the log path does not decode as the scans do",
                "exported column tags has type _int4, whose text the log path does not decode as the scans do",
                "exported column doubled is generated, and the log does not carry generated columns");
    }

    @Test
    void aPartitionedTableMustBePublishedViaItsRoot() throws Exception {
        db.exec("CREATE TABLE parted (id BIGINT PRIMARY KEY, n INT) PARTITION BY RANGE (id)",
                "CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (1000)",
                "CREATE PUBLICATION leaves_pub FOR TABLE parted",
                "CREATE PUBLICATION root_pub FOR TABLE parted WITH (publish_via_partition_root = true)");
        LogicalTable parted = db.partitioned("parted", "parted_1", "id");
        LogicalSetup.Report leaves;
        LogicalSetup.Report root;
        try (Connection c = db.connectAs(LogicalDb.REPLICATOR)) {
            leaves = LogicalSetup.check(c, parted, "leaves_pub", "s_parted");
            root = LogicalSetup.check(c, parted, "root_pub", "s_parted");
        }
        assertThat(leaves.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("is partitioned");
            assertThat(p.fix()).isEqualTo("ALTER PUBLICATION leaves_pub SET (publish_via_partition_root = true);");
        });
        assertThat(root.problems()).isEmpty();
    }

    @Test
    void aSlotOfAnotherKindIsRefused() throws Exception {
        db.exec("CREATE TABLE slotted (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION slotted_pub FOR TABLE slotted",
                "SELECT pg_create_logical_replication_slot('s_slotted', 'test_decoding')");
        try {
            assertThat(checks(check(LogicalDb.REPLICATOR, "slotted", "id", "slotted_pub")))
                    .containsExactly(LogicalSetup.Check.SLOT);
        } finally {
            db.exec("SELECT pg_drop_replication_slot('s_slotted')");
        }
    }
}
