-- The SHA-256 of a delivered file as a delivery check read it at the destination (portable SQL for
-- H2 2.x and PostgreSQL 15). Kept for files that do not decompress too, whose detail names no hash;
-- null for checks that hash no file and for checks recorded before this column existed.
ALTER TABLE verifications ADD COLUMN destination_sha256 VARCHAR(64);
