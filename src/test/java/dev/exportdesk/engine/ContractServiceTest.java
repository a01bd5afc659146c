package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.contract.ValidationError;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractServiceTest {
    @TempDir
    Path dir;

    @Test
    void identifiersAreCheckedAgainstTheSourceAndAnInvalidContractIsNeverStored() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "note VARCHAR(10), maybe TIMESTAMP)");
        ObjectNode base = Contracts.base("orders-to-acme", db, "orders", dir.resolve("drop"));
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            String bad = Contracts.json(base, c -> {
                c.putArray("columns").add("id").add("maybe").add("nope\"; DROP TABLE orders; --");
                c.putArray("cursor_columns").add("maybe");
            });
            assertThatThrownBy(() -> t.contracts.importContract(bad, "bad.json", false))
                    .isInstanceOfSatisfying(ContractValidationException.class, e -> {
                        assertThat(e.errors()).extracting(ValidationError::path)
                                .contains("$.columns", "$.cursor_columns");
                        assertThat(e.getMessage()).contains("does not exist").contains("nullable");
                    });
            assertThat(t.contracts.list()).isEmpty();

            String missingTable = Contracts.json(base, c -> c.put("table", "ordres"));
            assertThatThrownBy(() -> t.contracts.importContract(missingTable, "t.json", false))
                    .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.table");
            assertThat(t.contracts.list()).isEmpty();
            assertThat(db.connect().getMetaData().getTables(null, null, "ORDERS", null).next()).isTrue();
        }
    }

    @Test
    void everyChangeIsANewVersionAndOldVersionsAreKept() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        ObjectNode base = Contracts.base("orders-to-acme", db, "orders", dir.resolve("drop"));
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            assertThat(t.contracts.importContract(base.toString(), "a", false).changed()).isTrue();
            assertThat(t.contracts.importContract(base.toString(), "a", false).changed()).isFalse();
            var v2 = t.contracts.importContract(Contracts.json(base, c -> c.put("format", "csv")), "b", false);
            assertThat(v2.version().version()).isEqualTo(2);
            assertThat(t.contracts.history("orders-to-acme")).hasSize(2);
            assertThat(t.contracts.export("orders-to-acme", Optional.of(1)).body()).contains("\"jsonl\"");
            assertThat(t.contracts.export("orders-to-acme", Optional.empty()).body()).contains("\"csv\"");
            assertThat(t.status.audit(10)).extracting(a -> a.action()).contains("contract.import");
        }
    }
}
