package dev.exportdesk.demo;

import java.nio.file.Path;

/** The demo's two contracts (reading the source connection {@value #SOURCE}), as the JSON a data steward would write (also shipped in examples/). */
public final class DemoContracts {
    public static final String SOURCE = "demo-shop";

    private DemoContracts() {
    }

    public static String orders(Path dropFolder) {
        return """
                {
                  "name": "orders-to-acme",
                  "partner": "acme",
                  "description": "Orders for ACME's warehouse: every change since the last sync.",
                  "source": "demo-shop",
                  "table": "orders",
                  "key_columns": ["id"],
                  "cursor_columns": ["updated_at"],
                  "columns": ["id", "customer_id", "status", "amount", "currency", "note", "ordered_at",
                              "updated_at", "deleted_at"],
                  "soft_delete_column": "deleted_at",
                  "format": "jsonl",
                  "compression": "zstd",
                  "chunk": {"max_rows": 2000, "max_bytes": 16777216, "target_time": "5s"},
                  "destination": {"type": "folder", "path": %s},
                  "schedule": {"interval": "15m"},
                  "late_data": {"safety_lag": "2s", "lookback": "15m"},
                  "slo": {"max_delivery_lag": "1h", "max_failure_rate": 0.05},
                  "retry": {"max_attempts": 5, "initial_backoff": "1s", "max_backoff": "30s"}
                }
                """.formatted(quote(dropFolder.toString()));
    }

    public static String customers(Path dropFolder) {
        return """
                {
                  "name": "customers-to-acme",
                  "partner": "acme",
                  "description": "Customer master data for ACME, as CSV.",
                  "source": "demo-shop",
                  "table": "customers",
                  "key_columns": ["id"],
                  "cursor_columns": ["updated_at"],
                  "soft_delete_column": "deleted_at",
                  "format": "csv",
                  "compression": "gzip",
                  "chunk": {"max_rows": 5000},
                  "destination": {"type": "folder", "path": %s},
                  "late_data": {"safety_lag": "2s", "lookback": "15m"},
                  "slo": {"max_delivery_lag": "1d"}
                }
                """.formatted(quote(dropFolder.toString()));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
