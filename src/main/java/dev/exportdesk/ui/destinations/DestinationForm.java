package dev.exportdesk.ui.destinations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.contract.DestinationSpec;
import dev.exportdesk.engine.delivery.DestinationService.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * The Destinations form: one text per field of a folder, SFTP or S3 destination, named as the
 * contract's destination object names them, and the credentials typed for the vault. A stored
 * destination's credential fields stay empty (never read back); empty means "keep the stored one",
 * whose secret name the form carries over from the definition it was filled from.
 */
public final class DestinationForm {

    /** The form's fields; {@code key} is the destination object's field the engine's problems name. */
    public enum Field {
        NAME("name", null), TYPE("type", null), PATH("path", null), HOST("host", "sftp"), PORT("port", "sftp"),
        USER("user", "sftp"), HOST_KEY("host_key_sha256", "sftp"), PASSWORD("password", "sftp"),
        PRIVATE_KEY("private_key", "sftp"), ENDPOINT("endpoint", "s3"), REGION("region", "s3"),
        BUCKET("bucket", "s3"), PREFIX("prefix", "s3"), PATH_STYLE("path_style", "s3"),
        ALLOW_INSECURE_HTTP("allow_insecure_http", "s3"), ACCESS_KEY_ID("access_key_id", "s3"),
        SECRET_ACCESS_KEY("secret_access_key", "s3");

        static final Set<Field> CREDENTIALS = EnumSet.of(PASSWORD, PRIVATE_KEY, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
        private final String key;
        private final String only;

        Field(String key, String only) {
            this.key = key;
            this.only = only;
        }

        public String key() {
            return key;
        }

        /** Whether the field belongs to a destination of {@code type} (path: folder and SFTP). */
        public boolean of(String type) {
            return this == PATH ? !"s3".equals(type) : only == null || only.equals(type);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<Field, StringProperty> fields = new EnumMap<>(Field.class);
    private final ObservableMap<Field, String> errors = FXCollections.observableHashMap();
    /** The credential references of the definition the form was filled from (kept unless retyped). */
    private ObjectNode kept = MAPPER.createObjectNode();

    DestinationForm() {
        for (Field f : Field.values()) {
            fields.put(f, new SimpleStringProperty(""));
        }
        field(Field.TYPE).set("sftp");
    }

    public StringProperty field(Field f) {
        return fields.get(f);
    }

    public ObservableMap<Field, String> errors() {
        return errors;
    }

    boolean blank() {
        return fields.entrySet().stream().filter(e -> e.getKey() != Field.TYPE)
                .allMatch(e -> e.getValue().get().isBlank());
    }

    String name() {
        return text(Field.NAME);
    }

    String type() {
        return text(Field.TYPE);
    }

    /** The destination object the form describes (what a contract's inline destination would say). */
    String specJson() {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("type", type());
        for (Field f : Field.values()) {
            if (f == Field.NAME || f == Field.TYPE || Field.CREDENTIALS.contains(f) || !f.of(type())
                    || text(f).isEmpty()) {
                continue;
            }
            if (f == Field.PORT) {
                try {
                    d.put("port", Integer.parseInt(text(f)));
                } catch (NumberFormatException e) {
                    d.put("port", text(f));
                }
            } else if (f == Field.PATH_STYLE || f == Field.ALLOW_INSECURE_HTTP) {
                d.put(f.key(), Boolean.parseBoolean(text(f)));
            } else {
                d.put(f.key(), text(f));
            }
        }
        kept.fields().forEachRemaining(e -> {
            String base = e.getKey().replaceAll("_(secret|env)$", "");
            Field f = Field.valueOf(base.toUpperCase(java.util.Locale.ROOT));
            if (f.of(type()) && field(f).get().isEmpty()) {
                d.set(e.getKey(), e.getValue());
            }
        });
        return d.toString();
    }

    /** The typed credentials (for saving; the fields are emptied after). */
    Credentials credentials() {
        return new Credentials(secret(Field.PASSWORD), secret(Field.PRIVATE_KEY), secret(Field.ACCESS_KEY_ID),
                secret(Field.SECRET_ACCESS_KEY));
    }

    /** Which credentials were typed, without their values: what the as-you-type check needs. */
    Credentials credentialsGiven() {
        return new Credentials(marker(Field.PASSWORD), marker(Field.PRIVATE_KEY), marker(Field.ACCESS_KEY_ID),
                marker(Field.SECRET_ACCESS_KEY));
    }

    void fill(String name, DestinationSpec spec) {
        clear();
        ObjectNode d;
        try {
            d = (ObjectNode) MAPPER.readTree(ContractCodec.writeDestination(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        field(Field.NAME).set(name);
        field(Field.TYPE).set(spec.type());
        for (Field f : Field.values()) {
            if (d.has(f.key()) && f != Field.TYPE) {
                field(f).set(d.get(f.key()).asText());
            }
        }
        kept = MAPPER.createObjectNode();
        d.fields().forEachRemaining(e -> {
            if (e.getKey().endsWith("_secret") || e.getKey().endsWith("_env")) {
                kept.set(e.getKey(), e.getValue());
            }
        });
    }

    void clearCredentials() {
        Field.CREDENTIALS.forEach(f -> field(f).set(""));
    }

    void clear() {
        fields.forEach((f, p) -> p.set(f == Field.TYPE ? "sftp" : ""));
        kept = MAPPER.createObjectNode();
        errors.clear();
    }

    /** Shows each problem at its field; returns those naming none (for the message line). */
    List<String> show(List<String> problems) {
        Map<Field, List<String>> byField = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (String p : problems) {
            int colon = p.indexOf(':');
            Field f = colon < 0 ? null : fieldOf(p.substring(0, colon));
            if (f == null) {
                other.add(p);
            } else {
                byField.computeIfAbsent(f, k -> new ArrayList<>()).add(p.substring(colon + 1).trim());
            }
        }
        errors.keySet().retainAll(byField.keySet());
        byField.forEach((f, list) -> errors.put(f, String.join("; ", list)));
        return other;
    }

    /** "password_secret" and "password_env" are the Password field's problems. */
    private static Field fieldOf(String key) {
        String base = key.replaceAll("_(secret|env)$", "");
        for (Field f : Field.values()) {
            if (f.key().equals(base)) {
                return f;
            }
        }
        return null;
    }

    private String text(Field f) {
        return field(f).get().trim();
    }

    /** Only the chosen type's credentials: one typed before switching type is not sent anywhere. */
    private String secret(Field f) {
        String v = field(f).get();
        return v.isEmpty() || !f.of(type()) ? null : v;
    }

    private String marker(Field f) {
        return secret(f) == null ? null : "typed";
    }
}
