package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory must not grow with table size: a child JVM with a 64 MB heap exports a PostgreSQL table
 * several times larger than its heap. Without a streaming fetch the driver would buffer the whole
 * result and die with OutOfMemoryError.
 */
class StreamingMemoryTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void exportsATableMuchLargerThanTheHeap() throws Exception {
        SourceDb db = SourceDb.postgres();
        int rows = 400_000;
        db.exec("CREATE TABLE big (id BIGINT PRIMARY KEY, payload VARCHAR(400) NOT NULL, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 8), TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' "
                        + "+ (g / 100) * INTERVAL '1 second' FROM generate_series(1, " + rows + ") g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("big", db, "big", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100_000);
        Path workspace = dir.resolve("ws");
        try (TestEngine t = TestEngine.open(workspace)) {
            t.importContract(contract.toString());
        }
        Path log = dir.resolve("run.log");
        int code = ChildJvm.run(log, List.of("-Xmx64m"), 240, "--workspace", workspace.toString(), "run", "big", "-q");
        assertThat(code).as(Files.readString(log)).isZero();
        Replay replay = Replay.of(drop.resolve("big"), "id");
        assertThat(replay.table).hasSize(rows);
    }
}
