-- Issue 13: a due verification, receipt poll or retention is fenced like a run. Its claim's epoch
-- grows by one at every claim, and every state write made under the claim checks it in its own
-- transaction, so a worker that was frozen past its claim writes nothing once another worker
-- claimed the same work. Existing rows start at 0; their next claim makes them 1.
ALTER TABLE work_claims ADD COLUMN epoch BIGINT DEFAULT 0 NOT NULL;
