package dev.exportdesk.ui.audit;

import dev.exportdesk.store.AuditEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The report seam: writes what the audit screen shows to a file. Today: CSV of audit entries.
 * Extension point for issue 5 (reconciliation reports, ledger status, PDF): add implementations
 * and offer them in the audit screen's export menu.
 */
public interface ReportWriter {
    String name();

    String extension();

    void write(List<AuditEntry> entries, Path target) throws IOException;
}
