package dev.exportdesk.engine.delivery;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.transfer.UploadJournal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The multipart journal in the state store: each part is committed before the next one is sent. */
final class StoreUploadJournal implements UploadJournal {
    private final EngineContext ctx;

    StoreUploadJournal(EngineContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Optional<Upload> find(String destination, String key) {
        return ctx.store().inTransaction(c -> load(c, destination, key));
    }

    private static Optional<Upload> load(Connection c, String destination, String key) throws SQLException {
        String uploadId;
        long partSize;
        long fileSize;
        String sha;
        try (PreparedStatement st = c.prepareStatement("SELECT upload_id, part_size, file_size, file_sha256 FROM "
                + "multipart_uploads WHERE destination = ? AND object_key = ?")) {
            st.setString(1, destination);
            st.setString(2, key);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                uploadId = rs.getString(1);
                partSize = rs.getLong(2);
                fileSize = rs.getLong(3);
                sha = rs.getString(4);
            }
        }
        List<Part> parts = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT part_number, etag, checksum_sha256, part_bytes FROM "
                + "multipart_parts WHERE destination = ? AND object_key = ? ORDER BY part_number")) {
            st.setString(1, destination);
            st.setString(2, key);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    parts.add(new Part(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return Optional.of(new Upload(key, uploadId, partSize, fileSize, sha, parts));
    }

    @Override
    public void begin(String destination, Upload upload) {
        ctx.store().updateDurably(c -> {
            delete(c, destination, upload.key());
            try (PreparedStatement st = c.prepareStatement("INSERT INTO multipart_uploads(destination, object_key, "
                    + "upload_id, part_size, file_size, file_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, destination);
                st.setString(2, upload.key());
                st.setString(3, upload.uploadId());
                st.setLong(4, upload.partSize());
                st.setLong(5, upload.fileSize());
                st.setString(6, upload.fileSha256());
                st.setObject(7, ctx.now().atOffset(ZoneOffset.UTC));
                st.executeUpdate();
            }
        });
    }

    @Override
    public void partDone(String destination, String key, Part part) {
        ctx.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM multipart_parts WHERE destination = ? AND object_key = ? AND part_number = ?")) {
                st.setString(1, destination);
                st.setString(2, key);
                st.setInt(3, part.number());
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO multipart_parts(destination, object_key, "
                    + "part_number, etag, checksum_sha256, part_bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
                st.setString(1, destination);
                st.setString(2, key);
                st.setInt(3, part.number());
                st.setString(4, part.etag());
                st.setString(5, part.sha256());
                st.setLong(6, part.size());
                st.executeUpdate();
            }
        });
    }

    @Override
    public void forget(String destination, String key) {
        ctx.store().update(c -> delete(c, destination, key));
    }

    private static void delete(Connection c, String destination, String key) throws SQLException {
        for (String table : List.of("multipart_parts", "multipart_uploads")) {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table
                    + " WHERE destination = ? AND object_key = ?")) {
                st.setString(1, destination);
                st.setString(2, key);
                st.executeUpdate();
            }
        }
    }

    @Override
    public List<Upload> all(String destination) {
        return ctx.store().inTransaction(c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT object_key FROM multipart_uploads WHERE destination = ? ORDER BY object_key")) {
                st.setString(1, destination);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            List<Upload> out = new ArrayList<>();
            for (String k : keys) {
                load(c, destination, k).ifPresent(out::add);
            }
            return out;
        });
    }
}
