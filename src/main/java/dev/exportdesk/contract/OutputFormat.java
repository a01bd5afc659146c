package dev.exportdesk.contract;

/** Chunk file formats. The JSON name is what a contract says. */
public enum OutputFormat {
    JSONL("jsonl", "jsonl"), CSV("csv", "csv"), PARQUET("parquet", "parquet");

    private final String jsonName;
    private final String extension;

    OutputFormat(String jsonName, String extension) {
        this.jsonName = jsonName;
        this.extension = extension;
    }

    public String jsonName() {
        return jsonName;
    }

    public String extension() {
        return extension;
    }
}
