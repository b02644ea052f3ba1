#pragma once
// Keyset pagination shared by the read repositories (email_query_repo, activity_repo).
//
// A listing is stable while mail is ingested: the first page fixes a snapshot, the highest
// email_account_messages.id and email_investor_links.id at that moment; later pages see only
// sightings and links up to those marks. New mail (new sightings, new links) therefore never
// shifts or enters a listing that is being paged, and items are ordered by keys that new mail
// does not change (a message's time, an email or thread id), so every item that existed when
// paging began appears exactly once. Soft deletes made while paging do apply (a deleted item
// disappears), and a thread merged into another by new mail is listed under the surviving id.
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace gc::store {

// Where a listing stands: the snapshot marks and the sort key of the last item returned.
struct page_key {
  int64_t sighting_mark = 0;  // max(email_account_messages.id) when paging began
  int64_t link_mark = 0;      // max(email_investor_links.id) when paging began
  int64_t after_ms = 0;       // sort time (epoch ms) of the last item returned
  int64_t after_id = 0;       // id of the last item returned (tie-break, descending)
};

// One page of a listing; `next` is set when more items follow.
template <class T>
struct page {
  std::vector<T> items;
  std::optional<page_key> next;
};

// A message's sort time in epoch ms: Gmail's internalDate, else the Date header, else 0.
// Written out identically in migrations/0004 (index emails_msg_ms); keep both in step.
inline constexpr const char* msg_ms_sql =
    "coalesce(e.internal_date, CAST((julianday(e.sent_at) - 2440587.5) * 86400000 AS INTEGER), 0)";

// The same time as ISO-8601 UTC text ("2024-10-01T10:00:00.000Z"), or sent_at as stored.
inline constexpr const char* msg_iso_sql =
    "(CASE WHEN e.internal_date > 0 THEN strftime('%Y-%m-%dT%H:%M:%S', e.internal_date / 1000, "
    "'unixepoch') || printf('.%03dZ', e.internal_date % 1000) ELSE e.sent_at END)";

namespace detail {

// A fresh snapshot (the current marks, no position). Throws db_error.
page_key snapshot(connection& c);

} // namespace detail
} // namespace gc::store
