package dev.exportdesk.chunk;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.PathTemplate;
import java.time.Instant;

/**
 * Where a run's files live at a destination: the run folder its contract's path template names
 * (by default {@code <contract>/run-<sequence>}), holding {@code chunk-<n><suffix>} beside
 * {@code manifest.json} and {@code SHA256SUMS}. Names are deterministic, so a retry or a resume
 * writes the same bytes under the same name.
 */
public final class DeliveryLayout {
    private DeliveryLayout() {
    }

    /**
     * The one place a run's folder is worked out: {@code contract} is the version the run used,
     * {@code createdAt} the run's stored creation time (its manifest's {@code created_at}).
     */
    public static String runDirectory(Contract contract, int contractVersion, long sequence, Instant createdAt) {
        return contract.pathTemplate().resolve(new PathTemplate.Fields(contract.partner(), contract.name(),
                contract.table(), contractVersion, sequence, createdAt));
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
