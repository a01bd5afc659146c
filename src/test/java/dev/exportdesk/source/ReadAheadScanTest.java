package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read-ahead thread hands rows over in batches; what each row's batch holds must be that row's. */
@Timeout(60)
class ReadAheadScanTest {

    /** A source of {@code rows} rows numbered from 1; fails after {@code failAfter} rows when that is ≥ 0. */
    private static final class Numbers implements RowStream {
        final int rows;
        final int failAfter;
        final AtomicInteger read = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        Numbers(int rows, int failAfter) {
            this.rows = rows;
            this.failAfter = failAfter;
        }

        @Override
        public CapturedRow next() {
            int n = read.get();
            if (n == failAfter) {
                throw new SourceException("the source went away after " + n + " rows");
            }
            if (n == rows) {
                return null;
            }
            read.incrementAndGet();
            return new CapturedRow(new Object[] {(long) n + 1}, false);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** Records, per batch, the value of each row it was given (as the export records each row's line). */
    private static final ReadAheadScan.Batcher<List<Long>> COPY = new ReadAheadScan.Batcher<>() {
        @Override
        public List<Long> open(int rows) {
            return new ArrayList<>(rows);
        }

        @Override
        public void add(List<Long> batch, CapturedRow row) {
            batch.add((Long) row.values()[0]);
        }

        @Override
        public void clear(List<Long> batch) {
            batch.clear();
        }
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 512, 513, 1024, 4097})
    void everyRowComesOnceInOrderWithItsOwnPlaceInItsBatch(int rows) throws Exception {
        Numbers source = new Numbers(rows, -1);
        List<Long> seen = new ArrayList<>();
        try (ReadAheadScan<List<Long>> scan = new ReadAheadScan<>(source, COPY)) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                long value = (Long) row.values()[0];
                assertThat(scan.batch().get(scan.index())).isEqualTo(value);
                seen.add(value);
            }
            assertThat(scan.next()).isNull();
            assertThat(scan.next()).isNull();
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= rows; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(source.closed).isTrue();
    }

    @Test
    void aFailureOfTheSourceComesAfterTheRowsReadBeforeIt() throws Exception {
        Numbers source = new Numbers(10_000, 1_000);
        List<Long> seen = new ArrayList<>();
        try (ReadAheadScan<List<Long>> scan = new ReadAheadScan<>(source, COPY)) {
            assertThatThrownBy(() -> {
                for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                    seen.add((Long) row.values()[0]);
                }
            }).isInstanceOf(SourceException.class).hasMessageContaining("after 1000 rows");
        }
        assertThat(seen).hasSize(1_000).startsWith(1L).endsWith(1_000L);
    }

    @Test
    void aRowTheBatcherFailsOnIsNotHandedOverAndItsFailureFollowsTheRowsBefore() throws Exception {
        ReadAheadScan.Batcher<List<Long>> failsOn700 = new ReadAheadScan.Batcher<>() {
            @Override
            public List<Long> open(int rows) {
                return new ArrayList<>(rows);
            }

            @Override
            public void add(List<Long> batch, CapturedRow row) {
                if ((Long) row.values()[0] == 700L) {
                    throw new IllegalStateException("cannot encode row 700");
                }
                batch.add((Long) row.values()[0]);
            }

            @Override
            public void clear(List<Long> batch) {
                batch.clear();
            }
        };
        List<Long> seen = new ArrayList<>();
        try (ReadAheadScan<List<Long>> scan = new ReadAheadScan<>(new Numbers(10_000, -1), failsOn700)) {
            assertThatThrownBy(() -> {
                for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                    assertThat(scan.batch().get(scan.index())).isEqualTo(row.values()[0]);
                    seen.add((Long) row.values()[0]);
                }
            }).isInstanceOf(IllegalStateException.class).hasMessage("cannot encode row 700");
        }
        assertThat(seen).hasSize(699).endsWith(699L);
    }

    @Test
    void closingHalfWayStopsTheReaderAndClosesTheSource() throws Exception {
        Numbers source = new Numbers(Integer.MAX_VALUE, -1);
        ReadAheadScan<List<Long>> scan = new ReadAheadScan<>(source, COPY);
        for (int i = 0; i < 700; i++) {
            assertThat(scan.next()).isNotNull();
        }
        scan.close();
        int read = source.read.get();
        Thread.sleep(100);
        assertThat(source.read.get()).as("rows read after the close").isEqualTo(read);
        assertThat(source.closed).isTrue();
        // at most the batches the queue holds, the one being filled and the one taken were read ahead
        assertThat(read).isLessThan(700 + 10 * 512);
    }
}
