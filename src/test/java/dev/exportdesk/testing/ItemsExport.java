package dev.exportdesk.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The verification tests' source: {@code items} with the even ids 2..2000 (every seventh name with
 * awkward characters), cursors on 2024-03-01 12:00 + id/100 s, exported once by contract
 * {@code items-to-acme} in chunks of 300 rows (ids 2–600, 602–1200, 1202–1800, 1802–2000).
 */
public final class ItemsExport {
    public static final String CONTRACT = "items-to-acme";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private ItemsExport() {
    }

    /** Creates and fills the table, imports the contract in {@code format} and runs it once. */
    public static TestEngine exported(SourceDb db, Path dir, String format) throws Exception {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), version INT NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?, 1, ?)")) {
            for (long id = 2; id <= 2000; id += 2) {
                st.setLong(1, id);
                st.setString(2, id % 7 == 0 ? "ünïcode, \"quoted\"\nline " + id : "item " + id);
                st.setObject(3, T0.plusSeconds(id / 100));
                st.addBatch();
            }
            st.executeBatch();
        }
        TestEngine t = TestEngine.open(dir.resolve("ws"));
        t.importContract(contract(db, dir, format).toString());
        if (!t.run(CONTRACT).run().state().finished()) {
            t.close();
            throw new IllegalStateException("the first export of " + CONTRACT + " did not complete");
        }
        return t;
    }

    /** The contract {@link #exported} imports: {@code items} in {@code format}, 300 rows a chunk, to {@code dir/drop}. */
    public static ObjectNode contract(SourceDb db, Path dir, String format) {
        ObjectNode contract = Contracts.base(CONTRACT, db, "items", dir.resolve("drop"));
        contract.put("format", format);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 300);
        return contract;
    }

    /** The source's {@code name} per id now (id as text), to compare with a partner's replay. */
    public static Map<String, String> names(SourceDb db) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM items")) {
            while (rs.next()) {
                out.put(Long.toString(rs.getLong(1)), rs.getString(2));
            }
        }
        return out;
    }
}
