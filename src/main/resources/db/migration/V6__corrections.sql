-- Correction runs (issue 5): a late or changed row found by deep verification that no later run
-- carries, and that the next increment will not carry either, is re-read from the source and
-- shipped in a correction chunk linked to the chunk it corrects.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15.

-- What already delivered a drifted row as it is now ("run #3", "the next increment"); null while
-- the difference is a real finding.
ALTER TABLE drift_rows ADD COLUMN carried_by VARCHAR(64);

-- One row per correction chunk, written when the correction run is planned: the chunk it
-- corrects and the deep verification pass whose findings it ships.
CREATE TABLE chunk_corrections (
  run_id              VARCHAR(36)   NOT NULL REFERENCES runs(id),
  chunk_seq           INT           NOT NULL,
  corrects_run_id     VARCHAR(36)   NOT NULL REFERENCES runs(id),
  corrects_sequence   BIGINT        NOT NULL,
  corrects_chunk_seq  INT           NOT NULL,
  corrects_file       VARCHAR(255)  NOT NULL,
  verification_id     BIGINT        NOT NULL REFERENCES verification_runs(id),
  PRIMARY KEY (run_id, chunk_seq)
);
CREATE INDEX chunk_corrections_by_target ON chunk_corrections(corrects_run_id, corrects_chunk_seq);

-- The keys each correction chunk re-reads, fixed at planning so a resumed correction re-reads
-- exactly the same keys (their content is read afresh until the chunk is sealed).
CREATE TABLE correction_keys (
  run_id     VARCHAR(36)   NOT NULL REFERENCES runs(id),
  chunk_seq  INT           NOT NULL,
  key_index  INT           NOT NULL,
  row_key    VARCHAR(2000) NOT NULL,
  kind       VARCHAR(16)   NOT NULL,
  PRIMARY KEY (run_id, chunk_seq, key_index)
);
