package dev.exportdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the benchmarks share: the median of repeats, and the chunk files a run delivered with their size. */
final class BenchFiles {
    private BenchFiles() {
    }

    /** The median of alternating repeats (the upper one of an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** Every {@code chunk-*} file below {@code drop}, sorted. */
    static List<Path> chunks(Path drop) throws IOException {
        try (Stream<Path> files = Files.walk(drop)) {
            return files.filter(f -> f.getFileName().toString().startsWith("chunk-")).sorted().toList();
        }
    }

    static long bytes(List<Path> files) {
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }
}
