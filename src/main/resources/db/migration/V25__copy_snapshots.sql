-- Issue 15, log-based capture: the first run of a logical contract copies the table, and a copy
-- resumed after a crash reads on under a new snapshot. Each attempt records the snapshot it read
-- under (pg_current_snapshot() text) and the first chunk it sealed; the stream from the slot then
-- skips exactly the changes the copy already holds (cdc.CopySnapshots). Chunks from first_seq up to
-- the next row's first_seq were read under snapshot; the last row's also read past the last chunk.
CREATE TABLE copy_snapshots (
  run_id     VARCHAR(36)      NOT NULL REFERENCES runs(id),
  first_seq  INT              NOT NULL,
  snapshot   VARCHAR(1000000) NOT NULL,
  PRIMARY KEY (run_id, first_seq)
);
