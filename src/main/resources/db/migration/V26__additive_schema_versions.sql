-- Issue 16 item 5, schema-change policy: a contract version the engine created by itself because
-- the source's table gained nullable columns under "schema_change": "additive" keeps why, as JSON
-- (versions before and after, the added columns, both schema fingerprints). The first manifest
-- delivered under such a version tells the partner from it. NULL: a version a steward imported.
ALTER TABLE contract_versions ADD COLUMN schema_change VARCHAR(1000000);
-- The exported columns (name, type, nullability) each version was accepted or pinned with, so that
-- a run stopped by a schema change names the column that was dropped or retyped. NULL for versions
-- stored before, whose stops keep naming the columns as they are now.
ALTER TABLE contract_versions ADD COLUMN schema_columns VARCHAR(1000000);
