package dev.exportdesk.ui.sources;

import dev.exportdesk.source.SourceConnection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * The Sources form: one text per field of a connection, and the engine's problems routed to their
 * field by the name {@code SourceService.problems} gives them ("jdbc_url: …").
 */
public final class SourceForm {

    /** The form's fields, named as the engine's problems and the CLI name them. */
    public enum Field {
        NAME("name"), JDBC_URL("jdbc_url"), USER("user"), USER_ENV("user_env"), PASSWORD_ENV("password_env");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final Map<Field, StringProperty> fields = new EnumMap<>(Field.class);
    private final ObservableMap<Field, String> errors = FXCollections.observableHashMap();

    SourceForm() {
        for (Field f : Field.values()) {
            fields.put(f, new SimpleStringProperty(""));
        }
    }

    public StringProperty field(Field f) {
        return fields.get(f);
    }

    /** The problem shown at each field (absent when it has none). */
    public ObservableMap<Field, String> errors() {
        return errors;
    }

    boolean blank() {
        return fields.values().stream().allMatch(p -> p.get().isBlank());
    }

    /** The connection the form describes; an empty optional field is absent, not "". */
    SourceConnection draft() {
        return new SourceConnection(text(Field.NAME), text(Field.JDBC_URL), optional(Field.USER),
                optional(Field.USER_ENV), optional(Field.PASSWORD_ENV));
    }

    void fill(SourceConnection s) {
        field(Field.NAME).set(s.name());
        field(Field.JDBC_URL).set(s.jdbcUrl());
        field(Field.USER).set(orEmpty(s.user()));
        field(Field.USER_ENV).set(orEmpty(s.userEnv()));
        field(Field.PASSWORD_ENV).set(orEmpty(s.passwordEnv()));
    }

    void clear() {
        fields.values().forEach(p -> p.set(""));
        errors.clear();
    }

    /**
     * Shows {@code problems} at their fields (several at one field joined); returns those that name
     * no field, for the message line.
     */
    List<String> show(List<String> problems) {
        Map<Field, List<String>> byField = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (String p : problems) {
            Field f = fieldOf(p);
            if (f == null) {
                other.add(p);
            } else {
                byField.computeIfAbsent(f, k -> new ArrayList<>()).add(p.substring(f.key().length() + 1).trim());
            }
        }
        errors.keySet().retainAll(byField.keySet());
        byField.forEach((f, list) -> errors.put(f, String.join("; ", list)));
        return other;
    }

    private static Field fieldOf(String problem) {
        for (Field f : Field.values()) {
            if (problem.startsWith(f.key() + ":")) {
                return f;
            }
        }
        return null;
    }

    private String text(Field f) {
        return field(f).get().trim();
    }

    private String optional(Field f) {
        String t = text(f);
        return t.isEmpty() ? null : t;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
