package dev.exportdesk.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/** A source table of wide rows (about 1.5 kB each), so a few thousand rows make a multi-megabyte chunk. */
public final class WideRows {
    public static final String DDL = "CREATE TABLE items (id BIGINT PRIMARY KEY, payload VARCHAR(4000), "
            + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private WideRows() {
    }

    public static void insert(SourceDb db, long from, long to) throws SQLException {
        Random r = new Random(from);
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
            for (long id = from; id <= to; id++) {
                StringBuilder sb = new StringBuilder();
                while (sb.length() < 1500) {
                    sb.append(Long.toString(r.nextLong(), 36));
                }
                st.setLong(1, id);
                st.setString(2, sb.toString());
                st.setObject(3, T0.plusSeconds(id));
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
