-- GET /api/email/threads?investor_id= reads a maintained summary instead of aggregating an
-- investor's mail per request (with 200k stored emails, ~1,000 links per investor cost 8-14 ms
-- a request; scripts/bench load). store/thread_summaries.hpp describes the contract.
--
-- email_investor_threads: one row per (investor, thread) where the thread has a live email
-- linked to the investor. The statistics are the thread's live emails (both directions,
-- matched or not): count, latest sort time (store::msg_ms_sql) and the latest email (highest
-- id on a tie). max_sighting_id / max_link_id let a paged listing tell whether the row
-- still describes the listing's snapshot (read_page.hpp). No foreign keys: a thread merge
-- rewrites every column that references email_threads, and this table is rebuilt per thread
-- instead.
CREATE TABLE IF NOT EXISTS email_investor_threads (
  investor_id     INTEGER NOT NULL,
  thread_id       INTEGER NOT NULL,
  last_ms         INTEGER NOT NULL,
  last_email_id   INTEGER NOT NULL,
  message_count   INTEGER NOT NULL,
  max_sighting_id INTEGER NOT NULL,  -- highest email_account_messages.id of the thread's emails
  max_link_id     INTEGER NOT NULL,  -- highest link id of this investor to a live email of it
  PRIMARY KEY (investor_id, thread_id)
) WITHOUT ROWID;
-- The listing reads a page from this index alone (it covers every column the page needs).
CREATE INDEX IF NOT EXISTS eit_order ON email_investor_threads (investor_id, last_ms, thread_id,
  max_sighting_id, max_link_id, message_count, last_email_id);
CREATE INDEX IF NOT EXISTS eit_thread ON email_investor_threads (thread_id);

-- Threads whose summary rows may be stale. Triggers add them; the store writer rebuilds their
-- rows before it commits (store::refresh_thread_summaries); readers treat a thread listed here
-- as changed and aggregate it from the base tables.
CREATE TABLE IF NOT EXISTS email_threads_dirty (thread_id INTEGER PRIMARY KEY);

-- A new sighting can change a summarised thread (an unmatched reply) or make a linked email
-- live. A new email's links are written before its sighting (email_repo), so its own link
-- triggers below cover a first match; this one only needs threads already summarised or an
-- email that has links.
CREATE TRIGGER IF NOT EXISTS eam_summary_insert AFTER INSERT ON email_account_messages
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT e.thread_id FROM emails e WHERE e.id = NEW.email_id AND e.thread_id IS NOT NULL
      AND (EXISTS (SELECT 1 FROM email_investor_links l WHERE l.email_id = e.id)
           OR EXISTS (SELECT 1 FROM email_investor_threads t WHERE t.thread_id = e.thread_id));
END;

CREATE TRIGGER IF NOT EXISTS eam_summary_update AFTER UPDATE OF deleted_at, email_id ON email_account_messages
WHEN (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL) OR OLD.email_id IS NOT NEW.email_id
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT thread_id FROM emails WHERE id IN (OLD.email_id, NEW.email_id) AND thread_id IS NOT NULL;
END;

CREATE TRIGGER IF NOT EXISTS eam_summary_delete AFTER DELETE ON email_account_messages
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT thread_id FROM emails WHERE id = OLD.email_id AND thread_id IS NOT NULL;
END;

CREATE TRIGGER IF NOT EXISTS eil_summary_insert AFTER INSERT ON email_investor_links
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT thread_id FROM emails WHERE id = NEW.email_id AND thread_id IS NOT NULL;
END;

CREATE TRIGGER IF NOT EXISTS eil_summary_delete AFTER DELETE ON email_investor_links
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT thread_id FROM emails WHERE id = OLD.email_id AND thread_id IS NOT NULL;
END;

-- A thread merge (store/email_threads.cpp) moves emails between threads.
CREATE TRIGGER IF NOT EXISTS emails_summary_thread AFTER UPDATE OF thread_id ON emails
WHEN OLD.thread_id IS NOT NEW.thread_id
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id)
    SELECT OLD.thread_id WHERE OLD.thread_id IS NOT NULL
    UNION ALL SELECT NEW.thread_id WHERE NEW.thread_id IS NOT NULL;
END;

CREATE TRIGGER IF NOT EXISTS emails_summary_delete AFTER DELETE ON emails
WHEN OLD.thread_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO email_threads_dirty (thread_id) VALUES (OLD.thread_id);
END;

-- Existing mail: every thread with a linked email starts dirty; the store writer summarises
-- them when it opens the database (one transaction; ~1 s for 40k threads).
INSERT OR IGNORE INTO email_threads_dirty (thread_id)
  SELECT DISTINCT e.thread_id FROM email_investor_links l JOIN emails e ON e.id = l.email_id
  WHERE e.thread_id IS NOT NULL;
