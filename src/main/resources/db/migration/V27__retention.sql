-- Issue 16 item 7, retention: a delivered run whose files were removed from the destination. The
-- row is written, with the ledger leaves naming every file and its SHA-256, before the first file
-- is deleted (state PRUNING), and marked PRUNED once all are gone, so a prune interrupted half way
-- is finished from this list, never from a listing of the partner's folder. Portable SQL for H2 2.x
-- and PostgreSQL 15.
CREATE TABLE run_prunes (
  run_id         VARCHAR(36)     NOT NULL PRIMARY KEY REFERENCES runs(id),
  contract_name  VARCHAR(64)     NOT NULL,
  state          VARCHAR(16)     NOT NULL,
  run_directory  VARCHAR(1024)   NOT NULL,
  files          VARCHAR(1000000) NOT NULL,
  actor          VARCHAR(128)    NOT NULL,
  planned_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  pruned_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX run_prunes_by_contract ON run_prunes(contract_name);
