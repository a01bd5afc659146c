package dev.exportdesk.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * Run by {@code packaging/exportdesk-cds.sh} between the training run and the dump: the class list
 * the start-up archive is made of, less the classes the class path serves from a multi-release
 * jar's versioned entries ({@code META-INF/versions/N/}). Java 17 archives those, but when JFR or a
 * Java agent watches class loading the JVM re-reads an archived class's bytes by its plain name,
 * finds the base entry (other bytes) or none, and crashes on none (JDK-8343427, fixed in Java 24):
 * a recording of a PostgreSQL export crashed on the driver's {@code LazyCleanerImpl$CleanableWrapper},
 * which its jar holds for Java 11 only. Repeated lines go too (the list is the demo's plus a
 * supplement).
 */
public final class ArchivableClasses {
    private static final String VERSIONED = "META-INF/versions/";
    private static final String LAMBDA_PROXY = "@lambda-proxy ";

    private ArchivableClasses() {
    }

    /** {@code IN OUT}: the class list to read and the one to write. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) { // only packaging/exportdesk-cds.sh calls it
            throw new IllegalArgumentException("usage: ArchivableClasses CLASS_LIST_IN CLASS_LIST_OUT");
        }
        List<String> in = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Files.write(Path.of(args[1]), filter(in, ClassLoader.getSystemClassLoader()), StandardCharsets.UTF_8);
    }

    static List<String> filter(List<String> lines, ClassLoader loader) throws IOException {
        Map<String, JarFile> jars = new HashMap<>();
        try {
            Set<String> versioned = new HashSet<>();
            List<String> out = new ArrayList<>();
            for (String line : new LinkedHashSet<>(lines)) {
                String owner = owner(line);
                if (owner != null && (versioned.contains(owner) || versioned(owner, loader, jars))) {
                    versioned.add(owner);
                    continue;
                }
                out.add(line);
            }
            return out;
        } finally {
            for (JarFile jar : jars.values()) {
                jar.close();
            }
        }
    }

    /** The class a line archives ({@code a/b/C}), or a lambda proxy's owner; null for other lines. */
    private static String owner(String line) {
        String rest = line.startsWith(LAMBDA_PROXY) ? line.substring(LAMBDA_PROXY.length()) : line;
        if (rest.isBlank() || rest.startsWith("#") || rest.startsWith("@")) {
            return null;
        }
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    private static boolean versioned(String className, ClassLoader loader, Map<String, JarFile> jars) {
        String entry = className + ".class";
        URL url = loader.getResource(entry);
        if (url == null || !url.getProtocol().equals("jar")) {
            return false; // a JDK module's or a folder's class, or none (the dump skips it with a warning)
        }
        String spec = url.getPath(); // file:/…/x.jar!/a/b/C.class
        int bang = spec.indexOf("!/");
        if (bang < 0) {
            return false;
        }
        try {
            String file = new File(new URL(spec.substring(0, bang)).toURI()).getPath();
            JarFile jar = jars.get(file);
            if (jar == null) {
                jar = new JarFile(new File(file), false, ZipFile.OPEN_READ, Runtime.version());
                jars.put(file, jar);
            }
            JarEntry found = jar.getJarEntry(entry);
            return found != null && found.getRealName().startsWith(VERSIONED);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + spec.substring(0, bang) + " failed", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("not a file URL: " + spec.substring(0, bang), e);
        }
    }
}
