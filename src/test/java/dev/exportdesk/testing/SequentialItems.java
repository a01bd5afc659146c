package dev.exportdesk.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * An H2 {@code items} table of {@code rows} rows, one second apart, and a contract {@code items}
 * that exports it to {@code drop} in chunks of 100: a run with a known number of chunks.
 */
public final class SequentialItems {
    private SequentialItems() {
    }

    public static ObjectNode contract(SourceDb db, Path drop, int rows) throws SQLException {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, updated_at TIMESTAMP WITH TIME ZONE "
                + "NOT NULL)");
        db.exec("INSERT INTO items SELECT x, 1, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' + x * INTERVAL '1' "
                + "SECOND FROM SYSTEM_RANGE(1, " + rows + ")");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100);
        return contract;
    }
}
