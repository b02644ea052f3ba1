-- Email capture tables (seed 000, design.md "Data"). Table names follow the seeds so the CRM
-- and its operators' SQL keep working. Timestamps are ISO-8601 UTC text; Gmail historyIds
-- are stored as INTEGER (uint64 values below 2^63) so they compare numerically.

-- One row per enrolled mailbox.
CREATE TABLE IF NOT EXISTS email_accounts (
  id                  INTEGER PRIMARY KEY,
  email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
  user_id             INTEGER REFERENCES users(id),
  auth_method         TEXT NOT NULL DEFAULT 'dwd' CHECK (auth_method IN ('dwd', 'oauth')),
  sync_enabled        INTEGER NOT NULL DEFAULT 1,
  -- new | full_sync | incremental | error
  state               TEXT NOT NULL DEFAULT 'new',
  history_id          INTEGER,            -- incremental cursor, committed with its data
  full_sync_history_id INTEGER,           -- getProfile.historyId read before listing
  full_sync_page_token TEXT,              -- next messages.list page of a running backfill
  backfill_done       INTEGER NOT NULL DEFAULT 0,
  backfill_total      INTEGER,
  last_sync_at        TEXT,
  last_success_at     TEXT,
  last_history_at     TEXT,               -- when history_id was last advanced
  last_error          TEXT,
  last_error_at       TEXT,
  refresh_token_enc   BLOB,               -- OAuth mode: AES-256-GCM(nonce || ct || tag)
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS email_threads (
  id               INTEGER PRIMARY KEY,
  subject          TEXT,
  first_message_at TEXT,
  last_message_at  TEXT,
  message_count    INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One row per real email across all mailboxes.
CREATE TABLE IF NOT EXISTS emails (
  id            INTEGER PRIMARY KEY,
  dedup_key     TEXT NOT NULL UNIQUE,     -- normalized Message-ID, or "sha256:<hex>" fallback
  message_id    TEXT,                     -- the Message-ID header as sent
  thread_id     INTEGER REFERENCES email_threads(id),
  in_reply_to   TEXT,
  refs          TEXT,                     -- References header, space separated ids
  subject       TEXT,
  from_email    TEXT,
  from_name     TEXT,
  to_json       TEXT NOT NULL DEFAULT '[]',   -- [{"name","email"}]
  cc_json       TEXT NOT NULL DEFAULT '[]',
  bcc_json      TEXT NOT NULL DEFAULT '[]',
  sent_at       TEXT,                     -- Date header, UTC
  internal_date INTEGER,                  -- Gmail internalDate, epoch ms
  snippet       TEXT,
  body_text     TEXT,                     -- NULL while metadata-only (unmatched)
  body_html     TEXT,
  has_body      INTEGER NOT NULL DEFAULT 0,
  is_matched    INTEGER NOT NULL DEFAULT 0,
  direction     TEXT CHECK (direction IN ('inbound', 'outbound')),
  size_estimate INTEGER,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS emails_thread ON emails(thread_id);
CREATE INDEX IF NOT EXISTS emails_internal_date ON emails(internal_date);
CREATE INDEX IF NOT EXISTS emails_from ON emails(from_email);

-- Per-mailbox sightings. Soft delete (SPAM/TRASH/deleted) lives here, never on emails:
-- an email is live iff some sighting has deleted_at IS NULL.
CREATE TABLE IF NOT EXISTS email_account_messages (
  id               INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL REFERENCES email_accounts(id),
  email_id         INTEGER NOT NULL REFERENCES emails(id),
  gmail_message_id TEXT NOT NULL,
  gmail_thread_id  TEXT,
  label_ids        TEXT NOT NULL DEFAULT '[]',
  is_sent          INTEGER NOT NULL DEFAULT 0,
  deleted_at       TEXT,
  deleted_reason   TEXT,                  -- 'trash' | 'spam' | 'deleted'
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (account_id, gmail_message_id)
);
CREATE INDEX IF NOT EXISTS eam_email ON email_account_messages(email_id);
CREATE INDEX IF NOT EXISTS eam_thread ON email_account_messages(account_id, gmail_thread_id);

-- Messages a mailbox listed but could not store, with the reason: nothing is dropped silently.
CREATE TABLE IF NOT EXISTS email_skipped_messages (
  account_id       INTEGER NOT NULL REFERENCES email_accounts(id),
  gmail_message_id TEXT NOT NULL,
  reason           TEXT NOT NULL,         -- 'not_found' | 'unparseable' | 'permanent'
  detail           TEXT,
  attempts         INTEGER NOT NULL DEFAULT 1,
  first_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (account_id, gmail_message_id)
);

CREATE TABLE IF NOT EXISTS email_investor_links (
  id              INTEGER PRIMARY KEY,
  email_id        INTEGER NOT NULL REFERENCES emails(id),
  investor_id     INTEGER NOT NULL REFERENCES investors(id),
  contact_id      INTEGER REFERENCES contacts(id),
  match_kind      TEXT NOT NULL CHECK (match_kind IN ('exact', 'domain')),
  matched_address TEXT NOT NULL,
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (email_id, investor_id, matched_address)
);
CREATE INDEX IF NOT EXISTS eil_investor ON email_investor_links(investor_id);

-- Attachments: a stub row per part first, the file later, stored once by content hash.
CREATE TABLE IF NOT EXISTS email_attachments (
  id                  INTEGER PRIMARY KEY,
  email_id            INTEGER NOT NULL REFERENCES emails(id),
  part_id             TEXT NOT NULL,
  filename            TEXT,
  mime_type           TEXT,
  size                INTEGER,
  content_id          TEXT,
  sha256              TEXT,
  storage_path        TEXT,               -- relative to CRM_DATA_DIR
  -- pending | stored | too_large | failed
  status              TEXT NOT NULL DEFAULT 'pending',
  error               TEXT,
  attempts            INTEGER NOT NULL DEFAULT 0,
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (email_id, part_id)
);
CREATE INDEX IF NOT EXISTS email_attachments_sha ON email_attachments(sha256);
CREATE INDEX IF NOT EXISTS email_attachments_status ON email_attachments(status);

CREATE TABLE IF NOT EXISTS email_sync_runs (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER REFERENCES email_accounts(id),
  kind              TEXT NOT NULL,        -- 'full' | 'incremental' | 'rematch'
  status            TEXT NOT NULL DEFAULT 'running',  -- running | ok | error
  started_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at       TEXT,
  messages_seen     INTEGER NOT NULL DEFAULT 0,
  messages_stored   INTEGER NOT NULL DEFAULT 0,
  messages_skipped  INTEGER NOT NULL DEFAULT 0,
  attachments_saved INTEGER NOT NULL DEFAULT 0,
  quota_units       INTEGER NOT NULL DEFAULT 0,
  error             TEXT
);
CREATE INDEX IF NOT EXISTS email_sync_runs_started ON email_sync_runs(started_at);
