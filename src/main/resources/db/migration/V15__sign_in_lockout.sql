-- Lockout after repeated failed sign-ins, and the last sign-in shown to admins (issue 12).
ALTER TABLE users ADD COLUMN failed_sign_ins INT DEFAULT 0 NOT NULL;
ALTER TABLE users ADD COLUMN locked_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP WITH TIME ZONE;
