package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session guards what the server would take on trust: slot and publication names are checked
 * before they reach a replication command (pgjdbc splices them unquoted), and an exported snapshot
 * is refused once its session has moved on, instead of giving a copy that no longer matches the slot.
 */
class ReplicationSessionTest {

    @Test
    void hostileNamesNeverReachTheServer() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE n (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION n_pub FOR TABLE n");
        LogicalTable table = db.table("n", "id");
        try (ReplicationSession session = db.session()) {
            for (String name : List.of("x LOGICAL pgoutput; DROP_REPLICATION_SLOT other", "Upper", "1st", "",
                    "a".repeat(64), "ü")) {
                assertThatThrownBy(() -> session.createSlot(name)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("slot must be 1-63 lowercase letters");
                assertThatThrownBy(() -> session.stream("n_slot", name, null, table, LogicalStream.Limits.DEFAULT))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("publication must be");
            }
        }
        assertThat(slots(db)).isEmpty();
    }

    @Test
    void anExportedSnapshotEndsWhenItsSessionMovesOn() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE e (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION e_pub FOR TABLE e",
                "INSERT INTO e VALUES (1)");
        try (Connection reader = db.connect()) {
            ExportedSnapshot first;
            try (ReplicationSession session = db.session()) {
                first = session.createSlot("e_one");
                first.importInto(reader);
                reader.rollback();
                ExportedSnapshot second = session.createSlot("e_two"); // the session was used again
                assertThat(first.alive()).isFalse();
                assertThatThrownBy(() -> first.importInto(reader)).isInstanceOf(CaptureException.class)
                        .hasMessageContaining("the snapshot exported with slot \"e_one\" has ended")
                        .hasMessageContaining("drop the slot and start the copy again");
                assertThat(second.alive()).isTrue();
                second.importInto(reader);
                reader.rollback();
                session.dropSlot("e_one");
                assertThat(second.alive()).isFalse();
                session.dropSlot("e_two");
            }
            assertThat(first.alive()).isFalse();
        }
        assertThat(slots(db)).isEmpty();
    }

    private static List<String> slots(LogicalDb db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE database = "
                     + "current_database()")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
