#pragma once
// Message types of the matcher_index actor (see actors/matcher_index.hpp). Included by
// actors/messages.hpp before the project's type-ID block, which lists them.
#include <caf/all.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gc::core { class match_index; }

namespace gc::actors {

// An immutable snapshot of the match index (core/matching.hpp). Share it freely, across
// threads too; it never changes. Local-only (whitelisted in messages.hpp): never serialized.
using match_snapshot = std::shared_ptr<const core::match_index>;

// A matched email stored metadata-only, and the sighting to fetch its body through
// (users.messages.get on that mailbox).
struct body_fetch {
  int64_t email_id = 0;
  int64_t account_id = 0;
  std::string gmail_message_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, body_fetch& x) {
  return f(caf::meta::type_name("body_fetch"), x.email_id, x.account_id, x.gmail_message_id);
}

// Reply to (rematch_atom, since).
struct rematch_result {
  int64_t scanned = 0;        // emails in the date range
  int64_t matched = 0;        // of which the current index links to at least one investor
  int64_t newly_matched = 0;  // of which were unmatched before (is_matched 0 -> 1)
  int64_t links_added = 0;    // email_investor_links rows inserted
  std::vector<body_fetch> needing_body;  // matched, metadata-only, with a live sighting
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rematch_result& x) {
  return f(caf::meta::type_name("rematch_result"), x.scanned, x.matched, x.newly_matched,
           x.links_added, x.needing_body);
}

// Reply to (stats_atom) and (rebuild_atom).
struct matcher_stats {
  uint64_t generation = 0;     // successful builds so far; 0 = no index yet
  int64_t investors = 0;       // rows in the current index (graveyard included)
  int64_t graveyard = 0;
  int64_t contacts = 0;        // live contacts indexed
  int64_t addresses = 0;       // distinct exact-match keys
  int64_t domains = 0;         // distinct matchable investor domains
  uint64_t fingerprint = 0;    // of the CRM rows the current index was built from
  std::string built_at;        // ISO-8601 UTC of the current index; "" = none
  int64_t checks = 0;          // change checks run (periodic + explicit + before rematch)
  int64_t hashed = 0;          // of which had to hash the tables (data_version moved)
  std::string last_error;      // of the last failed check/build; "" after a success
  int32_t rematches = 0;       // rematch requests running or queued
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, matcher_stats& x) {
  return f(caf::meta::type_name("matcher_stats"), x.generation, x.investors, x.graveyard,
           x.contacts, x.addresses, x.domains, x.fingerprint, x.built_at, x.checks, x.hashed,
           x.last_error, x.rematches);
}

} // namespace gc::actors
