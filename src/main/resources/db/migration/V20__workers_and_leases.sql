-- Issue 13, workers and fenced leases (team mode on a shared PostgreSQL store; the tables exist on H2
-- too, unused there: solo mode keeps its in-process claims and the workspace lock).

-- Every worker process that registered, with its heartbeat; a row is kept after the worker stops.
CREATE TABLE workers (
  name          VARCHAR(64)  NOT NULL PRIMARY KEY,
  host          VARCHAR(255) NOT NULL,
  pid           BIGINT       NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  state         VARCHAR(16)  NOT NULL
);

-- The lease on a run: who may write the run's state now. The epoch grows by one at every claim, and
-- every write made under the lease checks it in its own transaction (fencing). Times are the store's.
CREATE TABLE run_leases (
  run_id      VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES runs(id),
  epoch       BIGINT       NOT NULL,
  holder      VARCHAR(64),
  state       VARCHAR(16)  NOT NULL,
  claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX run_leases_by_expiry ON run_leases(state, expires_at);

-- One row per claim, never updated but to close it: what a takeover ended and when, so that "no two
-- live leases on one run at any time" can be checked from the store alone.
CREATE TABLE lease_history (
  run_id       VARCHAR(36)  NOT NULL,
  epoch        BIGINT       NOT NULL,
  holder       VARCHAR(64)  NOT NULL,
  claimed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  how          VARCHAR(16)  NOT NULL,
  ended_at     TIMESTAMP WITH TIME ZONE,
  expired_at   TIMESTAMP WITH TIME ZONE,
  end_reason   VARCHAR(16),
  PRIMARY KEY (run_id, epoch)
);

-- Run now, Resume and Cancel asked from a console or the CLI, executed by whichever worker takes them.
CREATE TABLE run_requests (
  id             VARCHAR(36)   NOT NULL PRIMARY KEY,
  kind           VARCHAR(16)   NOT NULL,
  contract_name  VARCHAR(64)   NOT NULL REFERENCES contracts(name),
  run_id         VARCHAR(36),
  requested_by   VARCHAR(128)  NOT NULL,
  requested_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  state          VARCHAR(16)   NOT NULL,
  taken_by       VARCHAR(64),
  finished_at    TIMESTAMP WITH TIME ZONE,
  outcome        VARCHAR(4000)
);
CREATE INDEX run_requests_by_state ON run_requests(state, requested_at);

-- The ledger's single writer: every append locks this one row first, so the signed tree grows by one
-- append at a time whichever process appends.
CREATE TABLE ledger_writer (
  id  INT NOT NULL PRIMARY KEY
);
INSERT INTO ledger_writer(id) VALUES (1);

-- Due verifications and receipt polls: which worker does one now (until expires_at, renewed by its
-- heartbeat), or, once done, not before when it may be done again.
CREATE TABLE work_claims (
  work_key    VARCHAR(200) NOT NULL PRIMARY KEY,
  holder      VARCHAR(64)  NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
