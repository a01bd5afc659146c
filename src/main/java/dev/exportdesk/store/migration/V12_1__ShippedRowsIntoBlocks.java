package dev.exportdesk.store.migration;

import dev.exportdesk.store.LookbackIndex;
import dev.exportdesk.store.ShippedLines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves the entries of the per-row index into blocks, so the first lookback after the upgrade still
 * knows what the window delivered (without them it would ship the whole window again), and drops it.
 */
public class V12_1__ShippedRowsIntoBlocks extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        List<String> contracts = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT contract_name FROM shipped_rows")) {
            while (rs.next()) {
                contracts.add(rs.getString(1));
            }
        }
        LookbackIndex index = new LookbackIndex();
        for (String contract : contracts) {
            ShippedLines lines = new ShippedLines();
            String runId = null;
            try (PreparedStatement st = c.prepareStatement("SELECT row_sha256, cursor_at, run_id FROM shipped_rows "
                    + "WHERE contract_name = ? ORDER BY cursor_at")) {
                st.setString(1, contract);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        lines.add(HexFormat.of().parseHex(rs.getString(1)),
                                rs.getObject(2, OffsetDateTime.class).toInstant());
                        runId = runId == null ? rs.getString(3) : runId;
                    }
                }
            }
            index.record(c, contract, runId, 0, lines.blocks());
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE shipped_rows");
        }
    }
}
