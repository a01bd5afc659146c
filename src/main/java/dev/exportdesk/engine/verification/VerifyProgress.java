package dev.exportdesk.engine.verification;

/**
 * How far a verification of one run got, reported after each chunk: in the delivery phase each
 * delivered file re-hashed, in the source phase ({@code --deep}) each chunk re-read and compared.
 */
public record VerifyProgress(String contract, long sequence, String runId, Phase phase, int chunksDone,
                             int chunksTotal) {

    public enum Phase { DELIVERY, SOURCE }

    /** Of this phase, in 0..1; negative before the number of chunks is known. */
    public double fraction() {
        return chunksTotal <= 0 ? -1 : (double) chunksDone / chunksTotal;
    }

    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> { };

        void onProgress(VerifyProgress progress);
    }
}
