-- GET /api/email/status (also the Start9 health check) reads maintained counts instead of
-- counting rows per request: with 200k stored emails the three count(*) took ~7 ms of CPU a
-- request and grew with the data (scripts/bench load). store/status_repo.hpp reads the row.
--
-- email_counts: exactly one row (id = 1). emails = count(*) FROM emails, matched = the emails
-- with is_matched = 1, attachments_stored = email_attachments with status = 'stored'. The
-- triggers below keep it exact in the writer's own transaction, whatever the write path
-- (ingest, rematch, tests writing directly). Ingest speed matters: a new email costs one
-- single-row UPDATE; an UPDATE that does not change is_matched / status costs nothing.
CREATE TABLE IF NOT EXISTS email_counts (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  emails             INTEGER NOT NULL,
  matched            INTEGER NOT NULL,
  attachments_stored INTEGER NOT NULL
);

-- Existing mail.
INSERT OR REPLACE INTO email_counts (id, emails, matched, attachments_stored) VALUES (1,
  (SELECT count(*) FROM emails),
  (SELECT count(*) FROM emails WHERE is_matched = 1),
  (SELECT count(*) FROM email_attachments WHERE status = 'stored'));

CREATE TRIGGER IF NOT EXISTS email_counts_emails_insert AFTER INSERT ON emails
BEGIN
  UPDATE email_counts SET emails = emails + 1, matched = matched + (NEW.is_matched IS 1)
    WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS email_counts_emails_delete AFTER DELETE ON emails
BEGIN
  UPDATE email_counts SET emails = emails - 1, matched = matched - (OLD.is_matched IS 1)
    WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS email_counts_emails_matched AFTER UPDATE OF is_matched ON emails
WHEN (OLD.is_matched IS 1) IS NOT (NEW.is_matched IS 1)
BEGIN
  UPDATE email_counts SET matched = matched + (NEW.is_matched IS 1) - (OLD.is_matched IS 1)
    WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS email_counts_attachments_insert AFTER INSERT ON email_attachments
WHEN NEW.status IS 'stored'
BEGIN
  UPDATE email_counts SET attachments_stored = attachments_stored + 1 WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS email_counts_attachments_delete AFTER DELETE ON email_attachments
WHEN OLD.status IS 'stored'
BEGIN
  UPDATE email_counts SET attachments_stored = attachments_stored - 1 WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS email_counts_attachments_status AFTER UPDATE OF status ON email_attachments
WHEN (OLD.status IS 'stored') IS NOT (NEW.status IS 'stored')
BEGIN
  UPDATE email_counts SET attachments_stored = attachments_stored + (NEW.status IS 'stored')
    - (OLD.status IS 'stored') WHERE id = 1;
END;
