package dev.exportdesk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SFTP and S3 destination fields: validation with JSON paths, canonical round trip, examples parse. */
class RemoteDestinationCodecTest {
    static final String BASE = "{\"name\":\"orders\",\"partner\":\"acme\",\"source\":\"shop\","
            + "\"table\":\"orders\",\"key_columns\":[\"id\"],"
            + "\"cursor_columns\":[\"updated_at\"],\"destination\":%s}";

    static Contract parse(String destination) {
        return ContractCodec.parse(BASE.formatted(destination), "test");
    }

    @Test
    void sftpRoundTripsWithPolicyAndSecretReferences() {
        Contract c = parse("{\"type\":\"sftp\",\"host\":\"sftp.acme.example\",\"user\":\"exportdesk\","
                + "\"path\":\"/inbound/orders\",\"host_key_sha256\":\"SHA256:"
                + "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg\",\"password_secret\":\"acme-sftp\","
                + "\"connect_timeout\":\"10s\",\"stall_timeout\":\"45s\",\"ack_deadline\":\"6h\"}");
        SftpDestinationSpec s = (SftpDestinationSpec) c.destination();
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.password()).isEqualTo(SecretRef.secret("acme-sftp"));
        assertThat(s.policy()).isEqualTo(new TransferPolicy(Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofHours(6)));
        String written = ContractCodec.write(c);
        assertThat(ContractCodec.parse(written, "again")).isEqualTo(c);
        assertThat(ContractCodec.write(ContractCodec.parse(written, "again"))).isEqualTo(written);
    }

    @Test
    void s3RoundTripsWithDefaults() {
        Contract c = parse("{\"type\":\"s3\",\"endpoint\":\"http://127.0.0.1:9000\",\"allow_insecure_http\":true,\"bucket\":\"partner-drop\","
                + "\"path_style\":true,\"access_key_id_env\":\"AK\",\"secret_access_key_secret\":\"acme-s3\"}");
        S3DestinationSpec s = (S3DestinationSpec) c.destination();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.prefix()).isEmpty();
        assertThat(s.accessKeyId()).isEqualTo(SecretRef.env("AK"));
        assertThat(ContractCodec.parse(ContractCodec.write(c), "again")).isEqualTo(c);
    }

    @Test
    void parallelTransfersAndABandwidthCapRoundTripForEveryTransport() {
        Contract c = parse("{\"type\":\"folder\",\"path\":\"/srv/drop\",\"parallel_transfers\":4,"
                + "\"max_bytes_per_second\":5000000}");
        assertThat(c.destination().policy().parallelTransfers()).isEqualTo(4);
        assertThat(c.destination().policy().maxBytesPerSecond()).isEqualTo(5_000_000);
        assertThat(ContractCodec.parse(ContractCodec.write(c), "again")).isEqualTo(c);
        assertThat(parse("{\"type\":\"folder\",\"path\":\"/srv/drop\"}").destination().policy())
                .satisfies(p -> {
                    assertThat(p.parallelTransfers()).isEqualTo(1);
                    assertThat(p.capped()).isFalse();
                });
        assertThatThrownBy(() -> parse("{\"type\":\"s3\",\"bucket\":\"drop\",\"access_key_id_env\":\"A\","
                + "\"secret_access_key_env\":\"B\",\"parallel_transfers\":0,\"max_bytes_per_second\":100}"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::path)
                        .contains("$.destination.parallel_transfers", "$.destination.max_bytes_per_second"));
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        assertThatThrownBy(() -> parse("{\"type\":\"sftp\",\"host\":\"h\",\"user\":\"u\",\"path\":\"relative\","
                + "\"password\":\"plain\",\"password_secret\":\"a\",\"password_env\":\"B\","
                + "\"host_key_sha256\":\"md5:xx\",\"stall_timeout\":\"1ms\"}"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::path)
                        .contains("$.destination.path", "$.destination.password", "$.destination.password_env",
                                "$.destination.host_key_sha256", "$.destination.stall_timeout"));
        assertThatThrownBy(() -> parse("{\"type\":\"s3\",\"bucket\":\"Bad_Bucket\",\"endpoint\":\"ftp://x\"}"))
                .isInstanceOfSatisfying(ContractValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::path)
                        .contains("$.destination.bucket", "$.destination.endpoint",
                                "$.destination.access_key_id_secret", "$.destination.secret_access_key_secret"));
    }

    @Test
    void theExampleContractsAreValid() throws Exception {
        for (String name : new String[] {"orders-to-acme-sftp.json", "orders-to-acme-s3.json"}) {
            Contract c = ContractCodec.parse(Files.readString(Path.of("examples", name)), name);
            assertThat(c.destination().type()).isIn("sftp", "s3");
        }
    }
}
