-- GET /api/email/status is also the Start9 health check and must stay fast at any size: its
-- matched count reads this partial index instead of scanning every emails row (with 200k
-- stored emails the scan took 120-190 ms; scripts/bench load).
CREATE INDEX IF NOT EXISTS emails_matched ON emails(is_matched) WHERE is_matched = 1;
