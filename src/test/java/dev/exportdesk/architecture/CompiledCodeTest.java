package dev.exportdesk.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exportdesk.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the compiler must (not) put in ExportDesk's own class files. */
class CompiledCodeTest {
    /**
     * The pom compiles string concatenation to StringBuilder calls ({@code -XDstringConcat=inline}).
     * Compiled to {@code invokedynamic}, each shape of {@code "…" + x} spins method-handle classes at
     * its first use in every JVM: 66 of the 143 classes a 2M-row export spun, and with them 0.3 s of
     * C2 compiling the JDK's bytecode writer (BENCHMARKS.md, 2026-12-06, fourth section).
     */
    @Test
    void noStringConcatenationIsLinkedAtRunTime() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(files.size() > 500, "found the compiled classes in " + classes);
        List<String> linking = files.stream().filter(CompiledCodeTest::linksStringConcat)
                .map(p -> classes.relativize(p).toString()).sorted().toList();
        assertEquals(List.of(), linking, "classes compiled with invokedynamic string concatenation");
    }

    private static boolean linksStringConcat(Path classFile) {
        try {
            // the bootstrap's class name is a UTF-8 constant of the class file
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
                    .contains("java/lang/invoke/StringConcatFactory");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
