package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The multipart upload journal (tables {@code multipart_uploads} and {@code multipart_parts}): an
 * object store upload that a crash interrupted resumes from the parts recorded here.
 */
public final class MultipartUploadRepository {
    /** An upload begun for {@code key} at a destination, with the parts it has confirmed. */
    public record Upload(String key, String uploadId, long partSize, long fileSize, String fileSha256,
                         List<Part> parts) {
    }

    /** One confirmed part. */
    public record Part(int number, String etag, String sha256, long size) {
    }

    public Optional<Upload> find(Connection c, String destination, String key) throws SQLException {
        String uploadId;
        long partSize;
        long fileSize;
        String sha;
        try (PreparedStatement st = c.prepareStatement("SELECT upload_id, part_size, file_size, file_sha256 FROM "
                + "multipart_uploads WHERE destination = ? AND object_key = ?")) {
            Sql.bind(st, destination, key);
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
            Sql.bind(st, destination, key);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    parts.add(new Part(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return Optional.of(new Upload(key, uploadId, partSize, fileSize, sha, parts));
    }

    /** Every upload journaled for {@code destination}, by key. */
    public List<Upload> all(Connection c, String destination) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT object_key FROM multipart_uploads WHERE destination = ? ORDER BY object_key")) {
            Sql.bind(st, destination);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        List<Upload> out = new ArrayList<>();
        for (String k : keys) {
            find(c, destination, k).ifPresent(out::add);
        }
        return out;
    }

    /** Starts the journal of {@code upload} afresh (its parts are not recorded here: see {@link #partDone}). */
    public void begin(Connection c, String destination, Upload upload, Instant now) throws SQLException {
        forget(c, destination, upload.key());
        try (PreparedStatement st = c.prepareStatement("INSERT INTO multipart_uploads(destination, object_key, "
                + "upload_id, part_size, file_size, file_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, destination, upload.key(), upload.uploadId(), upload.partSize(), upload.fileSize(),
                    upload.fileSha256(), now);
            st.executeUpdate();
        }
    }

    public void partDone(Connection c, String destination, String key, Part part) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM multipart_parts WHERE destination = ? AND object_key = ? AND part_number = ?")) {
            Sql.bind(st, destination, key, part.number());
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO multipart_parts(destination, object_key, "
                + "part_number, etag, checksum_sha256, part_bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, destination, key, part.number(), part.etag(), part.sha256(), part.size());
            st.executeUpdate();
        }
    }

    public void forget(Connection c, String destination, String key) throws SQLException {
        for (String sql : List.of("DELETE FROM multipart_parts WHERE destination = ? AND object_key = ?",
                "DELETE FROM multipart_uploads WHERE destination = ? AND object_key = ?")) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                Sql.bind(st, destination, key);
                st.executeUpdate();
            }
        }
    }
}
