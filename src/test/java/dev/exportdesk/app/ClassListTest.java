package dev.exportdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code packaging/exportdesk-postgres.classlist} and {@code exportdesk-console.classlist}, the
 * classes a PostgreSQL export and the console add to the start-up archive's training: the dump
 * skips a name the class path no longer holds with only a warning, so a dependency upgrade that
 * renames classes would quietly make every PostgreSQL export, or the console, start slower. Here it
 * fails instead, naming the classes (regenerate the list as its header says).
 */
class ClassListTest {

    @Test
    void everyClassThePostgresSupplementNamesIsOnTheClassPath() throws Exception {
        assertThat(classes("exportdesk-postgres.classlist")).as("the PostgreSQL driver's reading classes are listed")
                .contains("org/postgresql/core/v3/QueryExecutorImpl", "org/postgresql/copy/CopyManager")
                .hasSizeGreaterThan(200)
                .as("names the class path does not hold").filteredOn(ClassListTest::missing).isEmpty();
    }

    @Test
    void everyClassTheConsoleSupplementNamesIsOnTheClassPath() throws Exception {
        assertThat(classes("exportdesk-console.classlist")).as("JavaFX's and the views' classes are listed")
                .contains("javafx/scene/control/TableView", "dev/exportdesk/ui/ConsoleApp")
                .hasSizeGreaterThan(1000)
                .as("names the class path does not hold").filteredOn(ClassListTest::missing).isEmpty();
    }

    private static List<String> classes(String file) throws Exception {
        return Files.readAllLines(Path.of("packaging", file)).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("@"))
                .toList();
    }

    private static boolean missing(String name) {
        return ClassLoader.getSystemClassLoader().getResource(name + ".class") == null;
    }
}
