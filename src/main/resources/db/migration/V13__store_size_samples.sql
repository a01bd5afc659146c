-- Issue 12 #5: the state store's own file size, sampled at most once an hour by its health check
-- (console status bar, exportdesk status), so growth per day can be measured. Only samples of the
-- last 24 hours are kept (engine.StoreHealth prunes at each sample): at most 25 rows.
CREATE TABLE store_size_samples (
  sampled_at  TIMESTAMP WITH TIME ZONE NOT NULL PRIMARY KEY,
  size_bytes  BIGINT NOT NULL CHECK (size_bytes >= 0)
);
