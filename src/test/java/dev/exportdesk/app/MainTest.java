package dev.exportdesk.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MainTest {
    /** What H2 itself read, in a fresh JVM where Main's tuning ran first (as it does at every launch). */
    public static final class Probe {
        public static void main(String[] args) {
            Main.tuneLibraries();
            System.out.print(org.h2.engine.SysProperties.OBJECT_CACHE);
        }
    }

    @Test
    void h2sValueCacheIsOffUnlessTheOperatorTurnsItOn() throws Exception {
        assertEquals("false", probe());
        assertEquals("true", probe("-Dh2.objectCache=true"));
    }

    private static String probe(String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish");
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
