package dev.exportdesk.contract;

/** Chunk compression. Levels outside a codec's range are rejected by validation. */
public enum Compression {
    NONE("none", "", 0, 0, 0), GZIP("gzip", ".gz", 1, 9, 6), ZSTD("zstd", ".zst", 1, 19, 3);

    private final String jsonName;
    private final String suffix;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Compression(String jsonName, String suffix, int minLevel, int maxLevel, int defaultLevel) {
        this.jsonName = jsonName;
        this.suffix = suffix;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    public String jsonName() {
        return jsonName;
    }

    public String suffix() {
        return suffix;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public int defaultLevel() {
        return defaultLevel;
    }
}
