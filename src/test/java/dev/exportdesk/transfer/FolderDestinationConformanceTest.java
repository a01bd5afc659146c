package dev.exportdesk.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The folder destination: an interruption is a crash mid-copy, which leaves a partial hidden temporary. */
class FolderDestinationConformanceTest extends DestinationConformanceTest {
    @TempDir
    Path drop;
    private FolderDestination destination;

    @BeforeEach
    void open() {
        destination = new FolderDestination(drop);
    }

    @AfterEach
    void close() {
        destination.close();
    }

    @Override
    Destination destination() {
        return destination;
    }

    @Override
    long largeSize() {
        return 3L * 1024 * 1024 + 17;
    }

    @Override
    long resumeSlack() {
        return largeSize();
    }

    @Override
    boolean resumes() {
        return false;
    }

    @Override
    long interruptUpload(String path, Path file, String sha256, long afterBytes) throws Exception {
        Path target = destination.resolve(path);
        Files.createDirectories(target.getParent());
        byte[] all = Files.readAllBytes(file);
        Files.write(target.resolveSibling("." + target.getFileName() + FolderDestination.TEMP_SUFFIX),
                java.util.Arrays.copyOf(all, (int) afterBytes));
        return afterBytes;
    }
}
