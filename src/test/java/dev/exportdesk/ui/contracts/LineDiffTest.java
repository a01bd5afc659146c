package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.ui.contracts.LineDiff.Kind;
import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void alignsChangedAddedAndRemovedLines() {
        var rows = LineDiff.diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
        assertThat(rows).extracting(LineDiff.Row::kind).containsExactly(Kind.SAME, Kind.CHANGED, Kind.SAME,
                Kind.SAME, Kind.ADDED);
        assertThat(rows.get(1)).isEqualTo(new LineDiff.Row("b", "B", Kind.CHANGED));
        assertThat(LineDiff.diff("a\nb", "b")).extracting(LineDiff.Row::kind).containsExactly(Kind.REMOVED, Kind.SAME);
        assertThat(LineDiff.diff("x", "x")).extracting(LineDiff.Row::kind).containsOnly(Kind.SAME);
    }
}
