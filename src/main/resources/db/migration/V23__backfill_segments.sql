-- Issue 13, parallel backfills (team mode): the first export of a large table, or a full export, split
-- into key ranges that several workers capture at once, still one run with one gap-free chunk sequence.

-- One row per key range of a split run. A segment is claimed like a run (epoch + 1 at every claim, the
-- claim's writes fenced by it), by any worker while the run is capturing, up to max_holders at a time.
-- after_tuple / up_to_tuple: the (cursor…, key…) bounds, exclusive / inclusive (null: open end).
CREATE TABLE run_segments (
  run_id       VARCHAR(36)   NOT NULL REFERENCES runs(id),
  segment      INT           NOT NULL,
  after_tuple  VARCHAR(4000),
  up_to_tuple  VARCHAR(4000),
  max_holders  INT           NOT NULL,
  state        VARCHAR(16)   NOT NULL,
  epoch        BIGINT        NOT NULL,
  holder       VARCHAR(64),
  expires_at   TIMESTAMP WITH TIME ZONE,
  error        VARCHAR(4000),
  PRIMARY KEY (run_id, segment)
);

-- Every claim of a segment, closed when it ends: "never two live claims on one segment" is checkable
-- from the store alone, as lease_history does for runs.
CREATE TABLE segment_claims (
  run_id      VARCHAR(36)  NOT NULL,
  segment     INT          NOT NULL,
  epoch       BIGINT       NOT NULL,
  holder      VARCHAR(64)  NOT NULL,
  claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at    TIMESTAMP WITH TIME ZONE,
  expired_at  TIMESTAMP WITH TIME ZONE,
  end_reason  VARCHAR(16),
  PRIMARY KEY (run_id, segment, epoch)
);

-- Which key range a chunk was captured in (0: the run was not split). A split run's chunks are
-- numbered in the order they were sealed and listed in the manifest by segment, then number, which
-- is the source's (cursor…, key…) order.
ALTER TABLE chunks ADD COLUMN segment INT DEFAULT 0 NOT NULL;
