package dev.exportdesk.ui.contracts;

import java.util.ArrayList;
import java.util.List;

/** A side-by-side line diff (longest common subsequence), enough for contract versions of a few hundred lines. */
public final class LineDiff {
    public enum Kind { SAME, REMOVED, ADDED, CHANGED }

    /** One aligned row: left text (older), right text (newer); either may be empty. */
    public record Row(String left, String right, Kind kind) {
    }

    private LineDiff() {
    }

    public static List<Row> diff(String older, String newer) {
        String[] a = older.split("\n", -1);
        String[] b = newer.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Row> rows = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                rows.add(new Row(a[i++], b[j++], Kind.SAME));
            } else if (i < a.length && j < b.length && lcs[i + 1][j] == lcs[i][j + 1]) {
                rows.add(new Row(a[i++], b[j++], Kind.CHANGED));
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                rows.add(new Row("", b[j++], Kind.ADDED));
            } else {
                rows.add(new Row(a[i++], "", Kind.REMOVED));
            }
        }
        return rows;
    }
}
