-- Range reads of the run detail's chunk pages (portable SQL for H2 2.x and PostgreSQL 15): a page
-- asks for the delivery checks and the latest deep reconciliation of a range of chunk sequences,
-- which the single-column indexes answered by scanning every check of the run or the pass.
CREATE INDEX verifications_by_run_seq ON verifications(run_id, chunk_seq);
CREATE INDEX chunk_reconciliations_by_pass_seq ON chunk_reconciliations(verification_id, chunk_seq);
