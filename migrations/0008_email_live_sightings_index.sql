-- "Is this email live?" (a sighting with deleted_at IS NULL, optionally in one mailbox, up to a
-- listing's snapshot mark) is asked for every row a listing walks. eam_email (email_id) made
-- each answer a lookup of the sighting's table row; this index answers it from the index alone
-- (the rowid, email_account_messages.id, is part of every index entry) and replaces eam_email,
-- whose queries it also serves.
CREATE INDEX IF NOT EXISTS eam_email_live ON email_account_messages (email_id, deleted_at, account_id);
DROP INDEX IF EXISTS eam_email;
