package dev.exportdesk.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report rendering: CSV formula injection is neutralised, JSON round-trips, the PDF renders visibly. */
class ReportTest {
    private static final String ROOT = "ab".repeat(32);

    @TempDir
    Path dir;

    static AuditReport sample(String hostileDetail) {
        List<AuditReport.ChunkLine> chunks = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            chunks.add(new AuditReport.ChunkLine("items-to-acme", 1, String.format("chunk-%06d.jsonl.zst", i), 1000,
                    "cd".repeat(32), "match", i == 7 ? "DRIFT" : "MATCH", 1000L, i == 7 ? 2 : 0, 0, 0,
                    i == 7 ? hostileDetail : "1000 rows", null, List.of()));
        }
        List<AuditReport.DriftPoint> drift = List.of(
                new AuditReport.DriftPoint(Instant.parse("2024-03-01T00:00:00Z"), "items-to-acme", 1, "deep", 60000, 0, 0, 0, 0),
                new AuditReport.DriftPoint(Instant.parse("2024-03-02T00:00:00Z"), "items-to-acme", 1, "deep", 60000, 2, 1, 3, 2));
        return new AuditReport("contract items-to-acme", Instant.parse("2024-03-03T00:00:00Z"),
                List.of(new AuditReport.RunLine("items-to-acme", 1, "run-1", "COMPLETED", 60000, 60, "ef".repeat(32),
                        Instant.parse("2024-03-01T00:00:00Z"), "mismatch")),
                chunks, drift, List.of(new AuditReport.DriftKey(1, "chunk-000007.jsonl.zst", "[\"=1+1\"]", "CHANGED")),
                new AuditReport.Checkpoint("run-1", 61, ROOT, "exportdesk/abc\n61\nq83vq83v\n\n\u2014 exportdesk/abc sig\n"));
    }

    @Test
    void csvNeutralisesEveryFormulaTrigger() throws Exception {
        for (String hostile : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
                "\0cmd")) {
            assertThat(CsvReport.neutralise(hostile)).as("cell %s", hostile.charAt(0) + 0).startsWith("'");
        }
        assertThat(CsvReport.neutralise("plain")).isEqualTo("plain");
        Path out = dir.resolve("r.csv");
        ReportFiles.write(sample("=cmd|' /C calc'!A0"), "csv", out);
        String csv = Files.readString(out);
        assertThat(csv).startsWith(String.join(",", CsvReport.HEADER) + "\r\n");
        assertThat(csv).contains(",'=cmd|' /C calc'!A0,").doesNotContain(",=cmd");
        assertThat(csv.split("\r\n")).hasSize(61);
    }

    @Test
    void jsonCarriesTheChunksDriftAndCheckpointRoot() throws Exception {
        Path out = dir.resolve("r.json");
        ReportFiles.write(sample("x"), "json", out);
        JsonNode n = new ObjectMapper().readTree(out.toFile());
        assertThat(n.path("format").asText()).isEqualTo("exportdesk-report/1");
        assertThat(n.path("chunks")).hasSize(60);
        assertThat(n.path("drift_history").get(1).path("late_arrivals").asLong()).isEqualTo(3);
        assertThat(n.path("checkpoint").path("root_sha256").asText()).isEqualTo(ROOT);
    }

    @Test
    void thePdfRendersToAVisiblePageWithTheCheckpointRoot() throws Exception {
        Path out = dir.resolve("r.pdf");
        ReportFiles.write(sample("x"), "pdf", out);
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            assertThat(doc.getNumberOfPages()).isGreaterThanOrEqualTo(2);
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 72);
            Path png = dir.resolve("page1.png");
            ImageIO.write(page, "png", png.toFile());
            BufferedImage back = ImageIO.read(png.toFile());
            long dark = 0;
            for (int y = 0; y < back.getHeight(); y++) {
                for (int x = 0; x < back.getWidth(); x++) {
                    int rgb = back.getRGB(x, y);
                    int lum = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                    if (lum < 128) {
                        dark++;
                    }
                }
            }
            assertThat(dark).as("dark pixels on page 1 of %d", (long) back.getWidth() * back.getHeight())
                    .isGreaterThan(2000);
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Chunk reconciliation", "Drift history", "Signed checkpoint", ROOT);
        }
    }
}
