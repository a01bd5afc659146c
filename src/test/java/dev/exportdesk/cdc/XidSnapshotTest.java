package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshot text, visibility, the log's 32-bit ids across an epoch, and the lookup by key of a resumed copy. */
class XidSnapshotTest {
    @Test
    void parsesAndDecidesVisibility() {
        XidSnapshot s = XidSnapshot.parse("100:110:103,105");
        assertThat(s.text()).isEqualTo("100:110:103,105");
        assertThat(s.saw(99)).isTrue();
        assertThat(s.saw(100)).as("committed between xmin and xmax, not in progress").isTrue();
        assertThat(s.saw(103)).as("in progress when taken").isFalse();
        assertThat(s.saw(110)).as("at xmax: began after").isFalse();
        assertThat(XidSnapshot.parse("7:7:").saw(6)).isTrue();
        for (String bad : List.of("", "1:2", "a:b:", "5:4:", "1:9:12", "1:9:3,,4", "1:2:3:4")) {
            assertThatThrownBy(() -> XidSnapshot.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> XidSnapshot.parse("1:2:" + "1".repeat(XidSnapshot.MAX_TEXT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    }

    @Test
    void theLogsShortIdsAreWidenedIntoTheSnapshotsEpoch() {
        long epoch = 1L << 32;
        // a snapshot just after the wrap into epoch 3; the log says 0xFFFFFFF0 (epoch 2) and 5 (epoch 3)
        XidSnapshot s = new XidSnapshot(3 * epoch + 2, 3 * epoch + 10, new long[] {3 * epoch + 5});
        assertThat(s.sawLogged(0xFFFF_FFF0L)).as("the end of epoch 2 is long committed").isTrue();
        assertThat(s.sawLogged(5)).as("in progress").isFalse();
        assertThat(s.sawLogged(12)).as("after xmax").isFalse();
        assertThat(XidSnapshot.widen(0xFFFF_FFF0L, 5)).as("no epoch before the first").isEqualTo(0xFFFF_FFF0L);
    }

    @Test
    void aKeyIsJudgedByThePieceThatReadItsRange() {
        XidSnapshot early = XidSnapshot.parse("100:101:");
        XidSnapshot late = XidSnapshot.parse("100:120:");
        CopySnapshots copies = new CopySnapshots(List.of(new CopySnapshots.Piece(new Object[] {10L}, early),
                new CopySnapshots.Piece(new Object[] {20L}, late)), early, Comparator.comparingLong(k -> (Long) k[0]));
        assertThat(copies.copied(110, new Object[] {5L})).as("piece 1 was read before 110").isFalse();
        assertThat(copies.copied(110, new Object[] {10L})).isFalse();
        assertThat(copies.copied(110, new Object[] {11L})).as("piece 2 saw 110").isTrue();
        assertThat(copies.copied(110, new Object[] {21L})).as("past the last piece: the tail's snapshot").isFalse();
        assertThat(copies.copied(99, new Object[] {21L})).as("before every snapshot").isTrue();
        assertThat(copies.copied(130, new Object[] {15L})).as("after every snapshot").isFalse();
    }

    @Test
    void aLaterSnapshotSeesAllOfAnEarlierOneUnlessACommittedTransactionIsNotVisibleYet() {
        XidSnapshot exported = XidSnapshot.parse("100:110:103");
        assertThat(XidSnapshot.parse("103:115:103,112").seesAllOf(exported)).as("103 still running in both").isTrue();
        assertThat(XidSnapshot.parse("111:111:").seesAllOf(exported)).isTrue();
        assertThat(XidSnapshot.parse("100:115:100").seesAllOf(exported))
                .as("100 counted as committed by the export, still in progress here").isFalse();
        assertThat(XidSnapshot.parse("100:108:").seesAllOf(exported)).as("an older snapshot: 108 and 109").isFalse();
        assertThat(XidSnapshot.parse("100:108:").seesAllOf(XidSnapshot.parse("100:110:108,109"))).isTrue();
    }
}
