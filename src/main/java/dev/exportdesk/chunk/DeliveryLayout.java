package dev.exportdesk.chunk;

/**
 * Where a run's files live at a destination: {@code <contract>/run-<sequence>/chunk-<n><suffix>},
 * beside {@code manifest.json} and {@code SHA256SUMS}. Names are deterministic, so a retry or a
 * resume writes the same bytes under the same name.
 */
public final class DeliveryLayout {
    private DeliveryLayout() {
    }

    public static String runDirectory(String contract, long sequence) {
        return contract + "/" + String.format("run-%06d", sequence);
    }

    public static String chunkFile(int seq, String suffix) {
        return String.format("chunk-%06d%s", seq, suffix);
    }

    /** The notice naming the chunks of redelivery {@code n} (docs/acknowledgements.md). */
    public static String redeliveryNotice(int n) {
        return "redelivery-" + n + ".json";
    }

    public static boolean isRedeliveryNotice(String fileName) {
        return fileName.matches("redelivery-[1-9][0-9]*\\.json");
    }
}
