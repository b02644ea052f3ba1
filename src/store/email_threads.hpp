#pragma once
// Thread resolution in SQL (email_threads, email_thread_keys), applying core/threading.hpp.
// Internal to src/store: these throw db_error and run inside the caller's savepoint
// (email_repo::store_message).
#include "core/threading.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace gc::store::detail {

// The thread for a message with these keys (and, for an email already stored, its current
// thread): the one thread they point to; a new thread when none; the smallest id when several,
// the others merged into it (every row referencing email_threads is repointed, the emptied
// threads deleted). Then every key is registered for that thread. Does not refresh the
// thread's summary: call refresh_thread once the email row points to it.
int64_t resolve_thread(connection& c, const std::vector<core::thread_key>& keys,
                       std::optional<int64_t> current);

// Recomputes subject (the first message's, prefixes stripped), first/last_message_at and
// message_count of a thread from its emails. Writes only when something changed.
// A message's time is its Gmail internalDate, or its Date header when that is missing.
void refresh_thread(connection& c, int64_t thread_id);

} // namespace gc::store::detail
