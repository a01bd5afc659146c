package dev.exportdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code packaging/exportdesk-postgres.classlist}, the classes a PostgreSQL export adds to the
 * start-up archive's training: the dump skips a name the class path no longer holds with only a
 * warning, so a dependency upgrade that renames classes would quietly make every PostgreSQL export
 * start slower. Here it fails instead, naming the classes (regenerate the list as its header says).
 */
class ClassListTest {

    @Test
    void everyClassTheSupplementNamesIsOnTheClassPath() throws Exception {
        List<String> classes = Files.readAllLines(Path.of("packaging", "exportdesk-postgres.classlist")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("@"))
                .toList();
        assertThat(classes).as("the PostgreSQL driver's reading classes are listed")
                .contains("org/postgresql/core/v3/QueryExecutorImpl", "org/postgresql/copy/CopyManager")
                .hasSizeGreaterThan(200);
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        assertThat(classes).as("names the class path does not hold")
                .filteredOn(name -> loader.getResource(name + ".class") == null)
                .isEmpty();
    }
}
