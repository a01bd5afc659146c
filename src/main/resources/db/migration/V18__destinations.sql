-- Issue 12: destinations an administrator manages, named by contracts ("destination": "acme-sftp")
-- instead of each contract spelling out host, bucket and credential names. The definition is the
-- contract's inline destination object as JSON; credentials stay in the vault (secrets), only their
-- names are in here.
CREATE TABLE destinations (
  name        VARCHAR(64)    NOT NULL PRIMARY KEY,
  spec        VARCHAR(16000) NOT NULL,
  updated_by  VARCHAR(200)   NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
