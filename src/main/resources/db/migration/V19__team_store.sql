-- Issue 13: a team store (PostgreSQL shared by many machines) says who it is, once. The row is
-- written by `exportdesk store init` (or `store copy-to`) and never by an ordinary open, so a
-- machine with the wrong master key is refused before it writes anything. A solo H2 store leaves
-- this table empty.
--   pbkdf2_salt: every machine derives the team's key from EXPORTDESK_MASTER_SECRET with this salt
--   key_check:   HMAC-SHA256(master key, label + store_id), never the key itself
--   ledger_*:    the one Ed25519 signing key of the store's ledger, its private half sealed with
--                AES-256-GCM under the master key
CREATE TABLE team_store (
  singleton           INT           NOT NULL PRIMARY KEY CHECK (singleton = 1),
  store_id            VARCHAR(32)   NOT NULL,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  key_source          VARCHAR(16)   NOT NULL,
  pbkdf2_salt         VARCHAR(64)   NOT NULL,
  key_check           VARCHAR(64)   NOT NULL,
  ledger_public_key   VARCHAR(400)  NOT NULL,
  ledger_key_nonce    VARCHAR(64)   NOT NULL,
  ledger_key_sealed   VARCHAR(400)  NOT NULL
);
