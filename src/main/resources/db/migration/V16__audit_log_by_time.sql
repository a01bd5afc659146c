-- Issue 12: the console's Audit screen filters the log by a date range in the query. The log is
-- append-only and grows without bound, so an old, narrow range must not scan every newer entry.
CREATE INDEX audit_log_by_at ON audit_log(at);
