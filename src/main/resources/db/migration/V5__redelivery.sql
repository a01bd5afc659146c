-- Redelivery after a receipt (issue 4). Portable SQL for H2 2.x and PostgreSQL 15.
-- The SHA-256 of the receipt last judged, so an unchanged receipt is not judged again after the
-- chunks it found wanting were sent again, and how many redeliveries the run has had.
ALTER TABLE run_acks ADD COLUMN receipt_sha256 VARCHAR(64);
ALTER TABLE run_acks ADD COLUMN redeliveries INT DEFAULT 0 NOT NULL;
