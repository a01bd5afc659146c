package dev.exportdesk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

/**
 * The auditor's PDF as read on paper: nothing runs off the page, a chunk never deep-verified does
 * not read as clean, the drift heading stands on its chart's page, the checkpoint says what it is.
 */
class PdfReportTest {
    private static final float MARGIN = 40;
    private static final Instant GENERATED = Instant.parse("2024-03-03T12:34:56Z");

    /** {@code chunks} chunks; those from {@code unverifiedFrom} on were never deep-verified. */
    private static AuditReport report(String scope, int chunks, int unverifiedFrom) {
        List<AuditReport.ChunkLine> lines = new ArrayList<>();
        for (int i = 1; i <= chunks; i++) {
            boolean verified = i < unverifiedFrom;
            lines.add(new AuditReport.ChunkLine("items-to-acme", 1, String.format("chunk-%06d.jsonl.zst", i), 1000,
                    "cd".repeat(32), "match", verified ? "MATCH" : "-", verified ? 1000L : null, 0, 0, 0,
                    null, null, List.of()));
        }
        List<AuditReport.DriftPoint> drift = List.of(new AuditReport.DriftPoint(
                Instant.parse("2024-03-01T00:00:00Z"), "items-to-acme", 1, "deep", 1000L * chunks, 2, 1, 3, 2));
        return new AuditReport(scope, GENERATED,
                List.of(new AuditReport.RunLine("items-to-acme", 1, "run-1", "COMPLETED", 1000L * chunks, chunks,
                        "ef".repeat(32), Instant.parse("2024-03-01T00:00:00Z"), "mismatch")),
                lines, drift, List.of(),
                new AuditReport.Checkpoint("run-1", 61, "ab".repeat(32),
                        "exportdesk/abc\n61\nq83vq83v\n\n\u2014 exportdesk/abc sig\n"));
    }

    private static PDDocument pdf(AuditReport r) throws IOException {
        return Loader.loadPDF(PdfReport.write(r));
    }

    private static String text(PDDocument doc) throws IOException {
        return new PDFTextStripper().getText(doc);
    }

    /** Each page's text, in order. */
    private static List<String> pages(PDDocument doc) throws IOException {
        List<String> out = new ArrayList<>();
        for (int p = 1; p <= doc.getNumberOfPages(); p++) {
            PDFTextStripper s = new PDFTextStripper();
            s.setStartPage(p);
            s.setEndPage(p);
            out.add(s.getText(doc));
        }
        return out;
    }

    /** Every glyph drawn, with the width of its page. */
    private record Glyph(String text, float x, float width, float pageWidth) {
    }

    private static List<Glyph> glyphs(PDDocument doc) throws IOException {
        List<Glyph> out = new ArrayList<>();
        PDFTextStripper s = new PDFTextStripper() {
            @Override
            protected void processTextPosition(TextPosition t) {
                out.add(new Glyph(t.getUnicode(), t.getX(), t.getWidth(), t.getPageWidth()));
                super.processTextPosition(t);
            }
        };
        s.getText(doc);
        return out;
    }

    @Test
    void theGeneratedTimestampAndEveryOtherLineStayInsideTheMargins() throws Exception {
        // a long contract name and a date range: the old header line ran past the right edge
        String scope = "contract " + "a".repeat(40) + " runs finished before 2024-12-31T00:00:00Z";
        try (PDDocument doc = pdf(report(scope, 5, 99))) {
            List<Glyph> all = glyphs(doc);
            assertThat(all).isNotEmpty();
            assertThat(all).allSatisfy(g -> assertThat(g.x() + g.width())
                    .as("right edge of '%s' at x=%s", g.text(), g.x()).isLessThanOrEqualTo(g.pageWidth() - MARGIN + 1));
            assertThat(all).allSatisfy(g -> assertThat(g.x()).as("'%s'", g.text()).isGreaterThanOrEqualTo(MARGIN - 1));
            assertThat(text(doc)).contains("Generated " + GENERATED, scope);
        }
    }

    @Test
    void aChunkNeverDeepVerifiedSaysNotVerifiedInsteadOfZeroDrift() throws Exception {
        try (PDDocument doc = pdf(report("contract items-to-acme", 4, 3))) {
            List<String> lines = Arrays.asList(text(doc).split("\\R"));
            List<String> unverified = lines.stream().filter(l -> l.contains("chunk-000003.jsonl.zst")
                    || l.contains("chunk-000004.jsonl.zst")).toList();
            assertThat(unverified).hasSize(2).allSatisfy(l -> assertThat(l).endsWith("- not verified")
                    .doesNotMatch(".*\\b0 0 0$"));
            // a verified clean chunk still shows its zero counts
            assertThat(lines).filteredOn(l -> l.contains("chunk-000001.jsonl.zst")).singleElement()
                    .satisfies(l -> assertThat(l).endsWith("MATCH 0 0 0"));
        }
    }

    @Test
    void theSignedCheckpointIsLabelled() throws Exception {
        try (PDDocument doc = pdf(report("contract items-to-acme", 4, 99))) {
            String text = text(doc);
            assertThat(text).contains("Signed checkpoint (C2SP signed note, verify with the published key)",
                    "verifier key", "exportdesk/abc", "q83vq83v", "- exportdesk/abc sig");
        }
    }

    @Test
    void theDriftHeadingIsAlwaysOnItsChartsPage() throws Exception {
        // chunk counts that move the heading across a whole page height's worth of positions
        for (int chunks = 40; chunks <= 110; chunks++) {
            try (PDDocument doc = pdf(report("contract items-to-acme", chunks, 99))) {
                List<String> pages = pages(doc);
                int heading = indexOf(pages, "Drift history");
                int legend = indexOf(pages, "late arrivals");
                assertThat(heading).as("%d chunks: heading page", chunks).isEqualTo(legend).isNotNegative();
            }
        }
    }

    private static int indexOf(List<String> pages, String text) {
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
