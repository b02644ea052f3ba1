-- Thread resolution keys, full-text search over captured email, and what the attachment
-- fetcher needs to download a stub (store/email_*.cpp, core/threading.hpp).

-- Every key a thread is known by: kind 'gmail' = "<account_id>:<gmail threadId>" (per mailbox),
-- kind 'msgid' = a normalized Message-ID (the message's own, In-Reply-To, References).
-- A message joins the thread of any of its keys; keys of several threads merge them.
CREATE TABLE IF NOT EXISTS email_thread_keys (
  kind      TEXT NOT NULL CHECK (kind IN ('gmail', 'msgid')),
  key       TEXT NOT NULL,
  thread_id INTEGER NOT NULL REFERENCES email_threads(id),
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS email_thread_keys_thread ON email_thread_keys(thread_id);

-- Keys of emails captured before this migration.
INSERT OR IGNORE INTO email_thread_keys (kind, key, thread_id)
  SELECT 'gmail', s.account_id || ':' || s.gmail_thread_id, e.thread_id
  FROM email_account_messages s JOIN emails e ON e.id = s.email_id
  WHERE e.thread_id IS NOT NULL AND coalesce(s.gmail_thread_id, '') != ''
  ORDER BY s.id;
INSERT OR IGNORE INTO email_thread_keys (kind, key, thread_id)
  SELECT 'msgid', e.dedup_key, e.thread_id FROM emails e
  WHERE e.thread_id IS NOT NULL AND e.dedup_key NOT LIKE 'sha256:%'
  ORDER BY e.id;

-- Full-text index, one row per emails row (rowid = emails.id), written in the same transaction
-- as the email. participants = names and addresses of from/to/cc; body = body_text, or the
-- snippet while the email is metadata-only; from_addr = sender name and address.
-- A regular (content-storing) FTS5 table: contentless-delete needs SQLite 3.43.
CREATE VIRTUAL TABLE IF NOT EXISTS emails_fts USING fts5(
  subject, participants, body, from_addr,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO emails_fts (rowid, subject, participants, body, from_addr)
  SELECT e.id, coalesce(e.subject, ''),
    trim(coalesce(e.from_name, '') || ' ' || coalesce(e.from_email, '') || ' ' ||
      coalesce((SELECT group_concat(coalesce(json_extract(j.value, '$.name'), '') || ' ' ||
                                    coalesce(json_extract(j.value, '$.email'), ''), ' ')
                FROM json_each(e.to_json) j), '') || ' ' ||
      coalesce((SELECT group_concat(coalesce(json_extract(j.value, '$.name'), '') || ' ' ||
                                    coalesce(json_extract(j.value, '$.email'), ''), ' ')
                FROM json_each(e.cc_json) j), '')),
    coalesce(e.body_text, e.snippet, ''),
    trim(coalesce(e.from_name, '') || ' ' || coalesce(e.from_email, ''))
  FROM emails e
  WHERE e.id NOT IN (SELECT rowid FROM emails_fts);

-- Attachment stubs: Gmail's attachmentId and the sighting it was read from (attachments.get
-- needs the mailbox's own message id). Filled from the first copy that carried the part.
ALTER TABLE email_attachments ADD COLUMN gmail_attachment_id TEXT;
ALTER TABLE email_attachments ADD COLUMN source_account_id INTEGER REFERENCES email_accounts(id);
ALTER TABLE email_attachments ADD COLUMN source_gmail_message_id TEXT;
