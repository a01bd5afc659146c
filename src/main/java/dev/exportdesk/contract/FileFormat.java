package dev.exportdesk.contract;

/** How a chunk file's records are spelled: JSON Lines, or CSV in a {@link CsvDialect}. */
public record FileFormat(OutputFormat type, CsvDialect dialect) {
    public static final FileFormat JSONL = new FileFormat(OutputFormat.JSONL, CsvDialect.DEFAULT);
    public static final FileFormat CSV = new FileFormat(OutputFormat.CSV, CsvDialect.DEFAULT);

    public FileFormat {
        dialect = dialect == null ? CsvDialect.DEFAULT : dialect;
    }

    public boolean isCsv() {
        return type == OutputFormat.CSV;
    }
}
