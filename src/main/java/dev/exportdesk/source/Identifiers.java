package dev.exportdesk.source;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** Quotes identifiers with the driver's quote string; names are never spliced into SQL raw. */
final class Identifiers {
    private final String quote;

    Identifiers(DatabaseMetaData meta) throws SQLException {
        String q = meta.getIdentifierQuoteString();
        this.quote = q == null || q.isBlank() ? "\"" : q.trim();
    }

    String quote(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }
}
