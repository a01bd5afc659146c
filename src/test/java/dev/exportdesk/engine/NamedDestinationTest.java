package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import dev.exportdesk.engine.delivery.DestinationService;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.S3Server;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named S3 destinations against two real s3proxy stores: keys given at definition land in the vault
 * bound to the bucket's scope; a contract naming the destination delivers there; moving the
 * destination to the other store re-binds the stored keys and the contract's next run goes there,
 * without a new contract version; a bad definition stores nothing.
 */
@Timeout(120)
class NamedDestinationTest {
    @TempDir
    Path dir;

    private static String s3(S3Server server) {
        return "{\"type\":\"s3\",\"endpoint\":\"http://127.0.0.1:" + server.port() + "\",\"allow_insecure_http\":true,"
                + "\"bucket\":\"partner-drop\",\"prefix\":\"exports/\",\"path_style\":true}";
    }

    @Test
    void aRunUsesTheDestinationsCurrentDefinition() throws Exception {
        try (S3Server first = S3Server.start(dir.resolve("blobs1"), "partner-drop");
             S3Server second = S3Server.start(dir.resolve("blobs2"), "partner-drop");
             TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            DestinationService destinations = new DestinationService(t.ctx, new DestinationProbe(t.ctx, t.contracts));
            Credentials keys = new Credentials(null, null, S3Server.ACCESS_KEY, S3Server.SECRET_KEY);

            String bad = s3(first).replace("\"bucket\":\"partner-drop\"", "\"bucket\":\"X\"");
            assertThatThrownBy(() -> destinations.add("acme-s3", bad, keys))
                    .isInstanceOf(DestinationService.DestinationDefinitionException.class)
                    .hasMessageContaining("bucket: must be a valid bucket name");
            assertThat(t.vault.list()).as("nothing stored for a bad definition").isEmpty();

            destinations.add("acme-s3", s3(first), keys);
            assertThat(t.vault.list()).extracting(SecretVault.Entry::name, SecretVault.Entry::scope).containsExactly(
                    org.assertj.core.api.Assertions.tuple("destination.acme-s3.access-key-id",
                            "s3://127.0.0.1:" + first.port() + "/partner-drop"),
                    org.assertj.core.api.Assertions.tuple("destination.acme-s3.secret-access-key",
                            "s3://127.0.0.1:" + first.port() + "/partner-drop"));

            SourceDb db = SourceDb.h2(dir);
            db.exec(WideRows.DDL);
            WideRows.insert(db, 1, 100);
            ObjectNode contract = Contracts.base("items-named", db, "items", dir.resolve("unused"));
            contract.put("destination", "acme-s3");
            t.importContract(contract.toString());
            t.run("items-named");
            String manifest1 = "exports/items-named/run-000001/manifest.json";
            assertThat(first.blobStore().blobExists("partner-drop", manifest1)).isTrue();

            destinations.change("acme-s3", s3(second), Credentials.NONE);
            WideRows.insert(db, 101, 50);
            t.run("items-named");
            assertThat(second.blobStore().blobExists("partner-drop", "exports/items-named/run-000002/manifest.json"))
                    .as("the next run went where the destination points now").isTrue();
            assertThat(first.blobStore().blobExists("partner-drop", "exports/items-named/run-000002/manifest.json"))
                    .isFalse();
            assertThat(t.contracts.history("items-named")).as("no new contract version").hasSize(1);
            assertThat(t.vault.list()).extracting(SecretVault.Entry::scope)
                    .containsOnly("s3://127.0.0.1:" + second.port() + "/partner-drop");

            List<AuditEntry> log = t.workspace.store().inTransaction(c -> t.workspace.store().audit().recent(c, 100));
            assertThat(log).extracting(AuditEntry::action).contains("destination.add", "destination.set",
                    "secret.scope");
            assertThat(log.toString()).doesNotContain(S3Server.SECRET_KEY).doesNotContain(S3Server.ACCESS_KEY);
        }
    }
}
