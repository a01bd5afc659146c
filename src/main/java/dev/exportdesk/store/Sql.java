package dev.exportdesk.store;

import dev.exportdesk.text.Text;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Parameter binding and column reading shared by the repositories (timestamps are UTC). */
final class Sql {
    private Sql() {
    }

    static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                st.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
            } else {
                st.setObject(i + 1, p);
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /**
     * Free text for a message column (run and chunk errors, verification details, audit subjects):
     * it quotes source errors and partner files and is shown in terminals, the console and reports,
     * so control characters and bidi overrides are replaced before it is stored.
     */
    static String message(String s, int max) {
        return truncate(Text.safeMultiline(s), max);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
