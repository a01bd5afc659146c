package dev.exportdesk.ui.audit;

import dev.exportdesk.store.AuditEntry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Audit entries as RFC 4180 CSV. */
public final class CsvAuditReport implements ReportWriter {
    @Override
    public String name() {
        return "Audit log (CSV)";
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public void write(List<AuditEntry> entries, Path target) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write("id,at,actor,action,subject,before,after\r\n");
            for (AuditEntry e : entries) {
                w.write(String.join(",", String.valueOf(e.id()), e.at().toString(), q(e.actor()), q(e.action()),
                        q(e.subject()), q(e.before()), q(e.after())));
                w.write("\r\n");
            }
        }
    }

    static String q(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
