package dev.exportdesk.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durable memory of multipart uploads in flight, so an interrupted upload resumes from the parts
 * the store already holds. The engine keeps it in the state store; each completed part is recorded
 * before the next one starts.
 */
public interface UploadJournal {

    record Part(int number, String etag, String sha256, long size) {
    }

    record Upload(String key, String uploadId, long partSize, long fileSize, String fileSha256, List<Part> parts) {
        public Upload {
            parts = List.copyOf(parts);
        }
    }

    Optional<Upload> find(String destination, String key);

    void begin(String destination, Upload upload);

    void partDone(String destination, String key, Part part);

    void forget(String destination, String key);

    List<Upload> all(String destination);

    /** A journal that lives as long as the process (tests, `destination test`). */
    static UploadJournal inMemory() {
        Map<String, Upload> uploads = new ConcurrentHashMap<>();
        return new UploadJournal() {
            @Override
            public Optional<Upload> find(String destination, String key) {
                return Optional.ofNullable(uploads.get(destination + "\n" + key));
            }

            @Override
            public void begin(String destination, Upload upload) {
                uploads.put(destination + "\n" + upload.key(), upload);
            }

            @Override
            public void partDone(String destination, String key, Part part) {
                uploads.computeIfPresent(destination + "\n" + key, (k, u) -> {
                    List<Part> parts = new ArrayList<>(u.parts());
                    parts.removeIf(p -> p.number() == part.number());
                    parts.add(part);
                    return new Upload(u.key(), u.uploadId(), u.partSize(), u.fileSize(), u.fileSha256(), parts);
                });
            }

            @Override
            public void forget(String destination, String key) {
                uploads.remove(destination + "\n" + key);
            }

            @Override
            public List<Upload> all(String destination) {
                return uploads.entrySet().stream().filter(e -> e.getKey().startsWith(destination + "\n"))
                        .map(Map.Entry::getValue).toList();
            }
        };
    }
}
