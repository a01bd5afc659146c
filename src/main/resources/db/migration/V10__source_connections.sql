-- Sources become connections an administrator manages (issue 11): a contract names a source, and
-- how to reach it (URL, user, credential reference) lives here, changed only by administrators.
-- V10_1 (a Java migration) fills the new columns from the contracts that defined them inline.
ALTER TABLE sources ADD COLUMN user_name VARCHAR(128);
ALTER TABLE sources ADD COLUMN user_env VARCHAR(128);
ALTER TABLE sources ADD COLUMN password_env VARCHAR(128);
ALTER TABLE sources ADD COLUMN updated_by VARCHAR(200);

-- Written once when a workspace's store is created; the same id sits in a marker file beside the
-- store, so a store that was deleted, emptied or swapped for another is noticed at open.
CREATE TABLE workspace_identity (
  id          VARCHAR(64)              NOT NULL PRIMARY KEY,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
