package dev.exportdesk.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Writes a report in the requested format atomically: a temporary file beside the target, then a rename. */
public final class ReportFiles {
    private ReportFiles() {
    }

    public static byte[] render(AuditReport report, String format) throws IOException {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> CsvReport.write(report);
            case "json" -> JsonReport.write(report);
            case "pdf" -> PdfReport.write(report);
            default -> throw new IllegalArgumentException("unknown report format \"" + format + "\" (csv, json, pdf)");
        };
    }

    public static void write(AuditReport report, String format, Path out) throws IOException {
        byte[] bytes = render(report, format);
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
