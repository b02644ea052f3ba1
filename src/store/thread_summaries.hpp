#pragma once
// The maintained per-(investor, thread) summaries behind GET /api/email/threads
// (migrations/0007_email_thread_summaries.sql).
//
// email_investor_threads holds, for every thread with a live email linked to an investor, the
// thread's live message count, latest sort time and latest email. Triggers list every thread a
// write may have changed in email_threads_dirty; refresh_thread_summaries rebuilds those rows
// and empties the list. The store writer calls it before each commit, so readers normally see
// an empty list; a reader that finds a thread listed aggregates it from the base tables
// (email_query_repo), so the summaries are a cache that is never trusted when stale.
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>

namespace gc::store {

// Rebuilds the summary rows of every dirty thread and empties the list, inside its own
// savepoint: on error nothing changes and the threads stay dirty. Returns the number of
// threads refreshed. Errors: "sqlite".
result<int64_t> refresh_thread_summaries(connection& c);

// Whether any thread is listed as dirty (a read: no write lock taken). Errors: "sqlite".
result<bool> thread_summaries_stale(connection& c);

} // namespace gc::store
