-- Issue 15 item 4: a stream chunk that begins with a TRUNCATE of the table. The partner empties its
-- copy of the table before applying such a chunk (manifest "truncate_first": true). Set in the
-- same transaction as the seal, so a sealed chunk and its mark are never apart.
ALTER TABLE chunks ADD COLUMN truncate_first BOOLEAN DEFAULT FALSE NOT NULL;
