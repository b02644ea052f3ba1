-- The full-text index's 'merge' command merges the segments of a level once it holds
-- `usermerge` of them (FTS5's default: 4). The store writer runs that command when commits have
-- left several small segments (store/fts_maintenance.hpp); at 2 it merges them into one
-- without rewriting the large segments of older levels. Automatic merging is unchanged.
INSERT INTO emails_fts (emails_fts, rank) VALUES ('usermerge', 2);
