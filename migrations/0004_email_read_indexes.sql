-- Read paths of the REST API (store/read_page.hpp): listings ordered by a message's time,
-- newest first, with keyset pagination. The expression is store::msg_ms_sql, written out
-- identically (SQLite matches index expressions by their text structure).
CREATE INDEX IF NOT EXISTS emails_msg_ms ON emails (
  coalesce(internal_date, CAST((julianday(sent_at) - 2440587.5) * 86400000 AS INTEGER), 0), id);
