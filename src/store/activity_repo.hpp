#pragma once
// The admin email-activity panel (seed 004, "Email-activity panel"): a filtered, newest-first
// listing of captured email, and the investor list of its filter dropdown.
//
// Semantics kept from the seed:
//  - an email is live iff some sighting has deleted_at IS NULL (with account_id: a live
//    sighting in that mailbox);
//  - direction is decided per email: outbound iff from_email is an email_accounts address;
//  - graveyard investors are left out of the dropdown, but their mail is listed and found by
//    the free-text query like any other.
// All captured mail is listed (matched or not: it is an audit surface); each row says which
// investors it is linked to.
//
// Works on a read-only connection. Errors: "sqlite", "bad_query" (the full-text engine
// refused the query; the message names no SQL).
#include "core/result.hpp"
#include "store/activity_walk.hpp"
#include "store/db.hpp"
#include "store/email_read_rows.hpp"
#include "store/read_page.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct activity_filter {
  std::optional<int64_t> investor_id;
  std::optional<int64_t> account_id;
  std::optional<std::string> direction;  // "inbound" | "outbound"
  std::string query;                     // free text over subject, body/snippet and sender
  std::optional<int64_t> since_ms;       // inclusive, epoch ms
  std::optional<int64_t> until_ms;       // exclusive, epoch ms
};

struct activity_item {
  int64_t id = 0;                        // emails.id
  std::optional<int64_t> thread_id;
  std::string subject;
  std::string snippet;
  party from;
  std::vector<party> to, cc;
  std::optional<std::string> date;       // ISO-8601
  int64_t sort_ms = 0;
  std::string direction;                 // "inbound" | "outbound"
  bool has_body = false;
  std::vector<mailbox_ref> mailboxes;    // live sightings
  std::vector<investor_ref> investors;
  int64_t attachment_count = 0;
};

struct dropdown_investor {
  int64_t id = 0;
  std::string name;
  bool has_email = false;                // some live email is linked to it
};

class activity_repo {
public:
  // A search whose words match at least `common_matches` emails walks the emails newest first
  // and keeps those that match, asking the full-text index about a chunk of them at a time
  // (store/activity_walk.hpp; cheap when matches are everywhere); a rarer one starts from the
  // full-text matches and sorts them. Both give the same pages.
  static constexpr int default_common_matches = 2000;
  explicit activity_repo(connection& c, int common_matches = default_common_matches,
                         detail::walk_tuning walk = {})
      : c_{c}, common_matches_{common_matches}, walk_{walk} {}

  // Newest first (message time, then id). `from` = nullopt starts a new listing.
  result<page<activity_item>> list(const activity_filter& f, int limit,
                                   const std::optional<page_key>& from);

  // Every non-graveyard investor, by name (case-insensitive), then id.
  result<std::vector<dropdown_investor>> investors();

  // The candidate query of a common search (for query-plan tests).
  static std::string walk_sql_for_test(const activity_filter& f, bool positioned);

private:
  bool is_common(const std::string& match);
  std::vector<activity_item> walk_page(const activity_filter& f, const std::string& match, int want,
                                       const page_key& snap, const std::optional<page_key>& from);
  connection& c_;
  int common_matches_;
  detail::walk_tuning walk_;
};

} // namespace gc::store
