#pragma once
// Internal to activity_repo: the common-search plan. A search term that matches a large share
// of the mail is cheapest found by walking the emails newest first and keeping those that
// match, but asking the full-text index about one email at a time costs a seek per email, and
// an FTS5 seek is slow (it steps linearly through every small segment below the rowid, so on
// a busy index a seek near the newest rowids costs 100-300 us). Reading every match instead
// (78k rowids for a word in 40% of 200k emails) costs ~8 ms.
//
// The walk therefore asks the index about a chunk of candidates at a time, by rowid ranges:
// the candidates' ids, sorted, are cut into runs whose gaps are at most `max_gap` ids, and each
// run is one range query. New mail is stored in id order and a backfill stores each mailbox
// newest first, so the newest emails form a few dense id runs: a page costs a few range
// queries instead of one seek per email. Scattered ids degrade to one seek each.
#include "store/db.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gc::store::detail {

struct page_hit {
  int64_t id = 0;
  int64_t ms = 0;  // sort time (msg_ms_sql)
};

struct walk_tuning {
  int max_gap = 2048;        // ids between two candidates still read as one range
  int first_chunk = 0;       // candidates asked about first (0: from the density, see below)
  int max_chunk = 4096;
};

// What a walk saw: candidates asked about and how many of them matched (the search's density,
// remembered by activity_repo to size the first chunk of its next page).
struct walk_stats {
  size_t scanned = 0;
  size_t matched = 0;
};

// How many candidates to ask about next: enough to find `missing` more matches at `density`
// (matches per candidate; 0 = not known) with a quarter to spare, else twice `previous`;
// between `missing` and t.max_chunk. One chunk per page once the density is known: each chunk
// costs a range query per id run, and each range query a seek in every FTS5 segment.
size_t next_chunk(size_t missing, double density, size_t previous, const walk_tuning& t);

// Steps `candidates` (rows of id, sort time: every filter but the full-text one, newest first)
// and returns the first `want` of them that match `match` (an FTS5 expression over
// emails_fts), in the walk's order. The first chunk is t.first_chunk if set, else sized by
// `density_hint` (0 = not known: twice `want`). Throws db_error.
std::vector<page_hit> walk_matches(connection& c, statement& candidates, const std::string& match,
                                   int want, const walk_tuning& t, double density_hint = 0,
                                   walk_stats* stats = nullptr);

} // namespace gc::store::detail
