-- Issue 13: in team mode each worker keeps the retained copies of the chunks it delivered (for a
-- redelivery after a partner's receipt) in its own workspace folder. The worker that keeps a
-- chunk's copy is recorded here, so that the receipt poll that may have to send it again is done by
-- that worker, and any other says who has it instead of calling it lost. Null: solo mode, or not kept.
ALTER TABLE chunks ADD COLUMN retained_by VARCHAR(64);
