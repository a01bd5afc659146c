-- issue 11: a secret may only be sent where an administrator bound it. Secrets stored before this
-- version have no scope and are refused until an administrator sets one (exportdesk secret scope).
ALTER TABLE secrets ADD COLUMN scope VARCHAR(300);

-- Environment variables a contract may name (password_env, *_key_env …), each bound to the one
-- destination (or source) scope it may be sent to. Nothing is allowed by default.
CREATE TABLE env_allow_list (
  variable    VARCHAR(128) NOT NULL,
  scope       VARCHAR(300) NOT NULL,
  created_by  VARCHAR(128) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (variable, scope)
);
