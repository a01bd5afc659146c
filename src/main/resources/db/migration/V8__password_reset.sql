-- An admin's password reset (issue 6) leaves a temporary password that only opens the way to
-- choosing a new one: sign-in asks for it, and sessions the user already had end at their next
-- action. Portable SQL for H2 2.x and PostgreSQL 15 (DEFAULT before NOT NULL suits both).
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN DEFAULT FALSE NOT NULL;
