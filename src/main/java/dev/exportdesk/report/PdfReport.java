package dev.exportdesk.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The auditor's PDF (PDFBox): a summary, the chunk reconciliation table, the correction lineage, a
 * drift chart of the verification history (rows changed, missing and late per pass), and the
 * signed checkpoint whose root ties the report to the ledger. A4 portrait, standard fonts, pages added as the table grows.
 */
public final class PdfReport {
    private static final float MARGIN = 40;
    private static final float LINE = 12;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float CHART_HEIGHT = 140;
    /** Bounds a paragraph (a differing key can be long); it is wrapped to the page width. */
    private static final int MAX_TEXT = 600;
    static final String NOT_VERIFIED = "not verified";
    static final String CHECKPOINT_HEADING = "Signed checkpoint (C2SP signed note, verify with the published key)";
    private static final Color CHANGED = new Color(0xE0, 0x8E, 0x0B);
    private static final Color MISSING = new Color(0xC6, 0x28, 0x28);
    private static final Color LATE = new Color(0x1F, 0x6F, 0xB4);

    private PdfReport() {
    }

    /** "run 2  chunk-000001.jsonl.zst  corrects run #1 chunk 3 (…)", "… corrected by run #2 chunk 1 (COMPLETED)". */
    static List<String> lineage(List<AuditReport.ChunkLine> chunks) {
        List<String> out = new java.util.ArrayList<>();
        for (AuditReport.ChunkLine c : chunks) {
            String chunk = "run " + c.sequence() + "  " + c.file() + "  ";
            if (c.corrects() != null) {
                out.add(chunk + "corrects " + c.corrects().text());
            }
            c.correctedBy().forEach(by -> out.add(chunk + "corrected by " + by.text()));
        }
        return out;
    }

    public static byte[] write(AuditReport r) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            Writer w = new Writer(doc);
            w.text(16, true, "ExportDesk verification report");
            w.text(9, false, "Scope: " + r.scope());
            w.text(9, false, "Generated " + r.generatedAt());
            w.gap();
            w.text(12, true, "Summary");
            long rows = r.runs().stream().mapToLong(AuditReport.RunLine::rows).sum();
            long mismatched = r.chunks().stream().filter(c -> !"MATCH".equals(c.classification())
                    && !"-".equals(c.classification())).count();
            w.text(9, false, r.runs().size() + " run(s), " + r.chunks().size() + " chunk(s), " + rows
                    + " rows shipped; " + mismatched + " chunk(s) differ from the source now; "
                    + r.keys().size() + " differing key(s) recorded.");
            for (AuditReport.RunLine run : r.runs()) {
                w.text(8, false, run.contract() + " run " + run.sequence() + " (" + run.runId() + "): " + run.state()
                        + ", " + run.rows() + " rows in " + run.chunks() + " chunks, manifest "
                        + abbreviate(run.manifestSha256(), 16) + ", last verification: " + run.lastVerification());
            }
            w.gap();
            w.text(12, true, "Chunk reconciliation");
            float[] cols = {0, 40, 150, 195, 265, 380, 430, 470, 515};
            w.row(cols, true, "run", "file", "rows", "delivery", "source", "changed", "missing", "late", "");
            for (AuditReport.ChunkLine c : r.chunks()) {
                // a chunk never deep-verified has no drift counts: 0/0/0 would read as clean
                boolean unverified = "-".equals(c.classification());
                w.row(cols, false, Long.toString(c.sequence()), c.file(), Long.toString(c.rows()), c.delivery(),
                        c.classification(), unverified ? NOT_VERIFIED : Long.toString(c.changed()),
                        unverified ? "" : Long.toString(c.missing()), unverified ? "" : Long.toString(c.late()), "");
            }
            if (!r.keys().isEmpty()) {
                w.gap();
                w.text(10, true, "Differing keys (first 40)");
                for (AuditReport.DriftKey k : r.keys().subList(0, Math.min(40, r.keys().size()))) {
                    w.text(8, false, "run " + k.sequence() + "  " + k.file() + "  " + k.kind() + "  " + k.key());
                }
            }
            List<String> lineage = lineage(r.chunks());
            if (!lineage.isEmpty()) {
                w.gap();
                w.text(10, true, "Corrections (first 40)");
                for (String line : lineage.subList(0, Math.min(40, lineage.size()))) {
                    w.text(8, false, line);
                }
            }
            w.gap();
            w.keep(15 + Writer.CHART_SPACE);
            w.text(12, true, "Drift history");
            w.chart(r.drift());
            w.gap();
            String[] note = r.checkpoint() == null ? new String[0] : r.checkpoint().note().split("\n");
            w.keep(15 + 3 * 12 + note.length * 10);
            w.text(12, true, CHECKPOINT_HEADING);
            if (r.checkpoint() == null) {
                w.text(9, false, "No checkpoint recorded for the runs in scope.");
            } else {
                w.text(9, false, "Tree size " + r.checkpoint().treeSize() + ", root SHA-256 " + r.checkpoint().rootHex());
                w.text(9, false, "The signed note, verbatim (origin, tree size, root in base64, then the signature "
                        + "line): check it with the verifier key the sender published out of band (exportdesk "
                        + "ledger public-key; docs/ledger.md).");
                for (String line : note) {
                    w.text(7, false, line.replace('\u2014', '-'));
                }
            }
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    static String abbreviate(String s, int n) {
        return s == null ? "-" : s.length() <= n ? s : s.substring(0, n) + "...";
    }

    /** Keeps text inside what the standard fonts can encode. */
    static String latin1(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 || c >= 160 && c < 256 ? c : '?');
        }
        return sb.toString();
    }

    /** A cursor down the pages. */
    private static final class Writer {
        /** The chart with its legend line. */
        static final float CHART_SPACE = CHART_HEIGHT + 36;
        private final PDDocument doc;
        private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        private PDPageContentStream cs;
        private float y;

        Writer(PDDocument doc) throws IOException {
            this.doc = doc;
            newPage();
        }

        private void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        /** Starts a new page unless {@code height} more fits, so a heading stays with what it heads. */
        void keep(float height) throws IOException {
            need(height);
        }

        private void need(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
            }
        }

        /** A paragraph, wrapped to the page width (nothing runs off the page). */
        void text(float size, boolean strong, String s) throws IOException {
            PDType1Font font = strong ? bold : regular;
            for (String line : wrap(font, size, latin1(abbreviate(s, MAX_TEXT)))) {
                need(size + 4);
                y -= size + 3;
                cs.beginText();
                cs.setFont(font, size);
                cs.newLineAtOffset(MARGIN, y);
                cs.showText(line);
                cs.endText();
            }
        }

        /** Breaks at spaces; a word wider than the page (a hash, a key) is broken where it must. */
        private static List<String> wrap(PDType1Font font, float size, String s) throws IOException {
            List<String> lines = new java.util.ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : s.split(" ", -1)) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(font, size, candidate) <= WIDTH) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                for (char c : word.toCharArray()) {
                    if (width(font, size, line.toString() + c) > WIDTH) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    line.append(c);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        private static float width(PDType1Font font, float size, String s) throws IOException {
            return font.getStringWidth(s) / 1000 * size;
        }

        void row(float[] cols, boolean header, String... cells) throws IOException {
            need(LINE);
            y -= LINE;
            for (int i = 0; i < cells.length; i++) {
                if (cells[i].isEmpty()) {
                    continue;
                }
                cs.beginText();
                cs.setFont(header ? bold : regular, 8);
                cs.newLineAtOffset(MARGIN + cols[i], y);
                cs.showText(latin1(abbreviate(cells[i], i == 1 ? 24 : 18)));
                cs.endText();
            }
        }

        void gap() {
            y -= 8;
        }

        /** Stacked bars per verification pass: changed, missing, late; a legend and the axis maximum. */
        void chart(List<AuditReport.DriftPoint> points) throws IOException {
            float height = CHART_HEIGHT;
            need(CHART_SPACE);
            y -= 6;
            float width = WIDTH;
            float bottom = y - height;
            cs.setStrokingColor(Color.DARK_GRAY);
            cs.moveTo(MARGIN, bottom);
            cs.lineTo(MARGIN + width, bottom);
            cs.moveTo(MARGIN, bottom);
            cs.lineTo(MARGIN, y);
            cs.stroke();
            long max = 1;
            for (AuditReport.DriftPoint p : points) {
                max = Math.max(max, p.changed() + p.missing() + p.late());
            }
            if (points.isEmpty()) {
                cs.beginText();
                cs.setFont(regular, 9);
                cs.newLineAtOffset(MARGIN + 10, bottom + height / 2);
                cs.showText("No verification passes recorded yet.");
                cs.endText();
            }
            float slot = points.isEmpty() ? width : width / points.size();
            float bar = Math.max(2, Math.min(30, slot * 0.6f));
            for (int i = 0; i < points.size(); i++) {
                AuditReport.DriftPoint p = points.get(i);
                float x = MARGIN + i * slot + (slot - bar) / 2;
                float base = bottom;
                base = segment(x, base, bar, p.changed(), max, height - 10, CHANGED);
                base = segment(x, base, bar, p.missing(), max, height - 10, MISSING);
                segment(x, base, bar, p.late(), max, height - 10, LATE);
                if (p.changed() + p.missing() + p.late() == 0) {
                    cs.setNonStrokingColor(new Color(0x2E, 0x7D, 0x32));
                    cs.addRect(x, bottom, bar, 2);
                    cs.fill();
                }
            }
            y = bottom - 4;
            cs.setNonStrokingColor(Color.BLACK);
            legend("changed", CHANGED, 0);
            legend("missing", MISSING, 90);
            legend("late arrivals", LATE, 180);
            cs.beginText();
            cs.setFont(regular, 8);
            cs.newLineAtOffset(MARGIN + 300, y - 8);
            cs.showText("max " + max + " rows per pass; " + points.size() + " pass(es), oldest left");
            cs.endText();
            y -= 14;
        }

        private float segment(float x, float base, float bar, long value, long max, float height, Color color)
                throws IOException {
            if (value <= 0) {
                return base;
            }
            float h = Math.max(1, height * value / max);
            cs.setNonStrokingColor(color);
            cs.addRect(x, base, bar, h);
            cs.fill();
            return base + h;
        }

        private void legend(String label, Color color, float dx) throws IOException {
            cs.setNonStrokingColor(color);
            cs.addRect(MARGIN + dx, y - 8, 8, 8);
            cs.fill();
            cs.setNonStrokingColor(Color.BLACK);
            cs.beginText();
            cs.setFont(regular, 8);
            cs.newLineAtOffset(MARGIN + dx + 12, y - 8);
            cs.showText(label);
            cs.endText();
        }

        void close() throws IOException {
            cs.close();
        }
    }
}
