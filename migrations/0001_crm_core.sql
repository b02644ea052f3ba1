-- Minimal CRM core tables. The CRM owns these; on a CRM database that already has them,
-- every statement here is a no-op and their rows are untouched. The service reads and writes
-- only the columns listed in README.md ("CRM tables").

CREATE TABLE IF NOT EXISTS users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  email         TEXT,
  name          TEXT,
  password_hash TEXT,
  role          TEXT NOT NULL DEFAULT 'member',
  is_active     INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS investors (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  email      TEXT,
  domain     TEXT,
  graveyard  INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS contacts (
  id          INTEGER PRIMARY KEY,
  investor_id INTEGER REFERENCES investors(id),
  name        TEXT,
  email       TEXT,
  deleted_at  TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS fundraising_state (
  investor_id INTEGER PRIMARY KEY REFERENCES investors(id),
  notes       TEXT NOT NULL DEFAULT '',
  updated_at  TEXT,
  updated_by  INTEGER REFERENCES users(id)
);

CREATE TABLE IF NOT EXISTS app_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Bearer tokens for the REST API. Only the SHA-256 of a token is stored.
CREATE TABLE IF NOT EXISTS api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  token_sha256 TEXT NOT NULL UNIQUE,
  label        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at   TEXT,
  revoked_at   TEXT
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens(user_id);
