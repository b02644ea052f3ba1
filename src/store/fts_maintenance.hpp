#pragma once
// Upkeep of the full-text index (emails_fts, migrations/0003).
//
// FTS5 stores its index as segments (b-trees): each commit that indexes mail adds one, and
// FTS5 merges them automatically only in groups of four of a size, so a store that grows by
// many small commits keeps ~10 segments. Every search seeks in each segment: a common-word
// activity search asks the index about several rowid ranges per page, and with 10 segments
// instead of one each of those range queries cost 2-3x more (docs/benchmarks.md, REST load).
// The store writer therefore merges small segments as they pile up, and the whole index into
// one segment when it still has many (actors/store_writer).
#include "core/result.hpp"
#include "store/db.hpp"

namespace gc::store {

// The number of segments of emails_fts, read from its structure record. Errors: "sqlite";
// "fts_structure" when the record cannot be decoded.
result<int> fts_segments(connection& c);

// Merges the segments of each level that holds two or more (FTS5 'merge', usermerge 2 from
// migrations/0009), writing at most about `pages` pages: small new segments become one, and
// the large ones of older levels are left as they are. Milliseconds. Call it outside a
// transaction: it runs in its own. Errors: "sqlite".
status fts_merge_levels(connection& c, int pages);

// Merges every segment of emails_fts into one (FTS5 'optimize'): about 1 s and one rewrite
// of the index (~60 MB) per 200k emails. Searches give the same results before and after.
// Call it outside a transaction: it runs in its own. Errors: "sqlite".
status fts_optimize(connection& c);

} // namespace gc::store
