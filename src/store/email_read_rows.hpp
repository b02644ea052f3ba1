#pragma once
// Rows the read side of the REST API shows with every message (thread view, activity list):
// parties, the mailboxes that still hold it, its investor links and its attachments.
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct party {
  std::string name;
  std::string email;
};

// One of our mailboxes with a live (not soft-deleted) sighting of the email.
struct mailbox_ref {
  int64_t account_id = 0;
  std::string email;
};

// An investor the email is linked to. Graveyard investors are included (history is never
// hidden); a soft-deleted contact is left out (contact_id/contact_name empty).
struct investor_ref {
  int64_t investor_id = 0;
  std::string name;
  bool graveyard = false;
  std::string match_kind;              // "exact" | "domain"
  std::string matched_address;
  std::optional<int64_t> contact_id;
  std::optional<std::string> contact_name;
};

struct attachment_ref {
  int64_t id = 0;
  std::string filename;
  std::string content_type;            // as stored (may be empty)
  int64_t size = 0;
  std::string content_id;              // "" when none
  bool downloaded = false;             // status 'stored'
  std::string status;                  // pending | stored | too_large | failed
};

// The outbound rule of seed 004, as SQL over alias e: from_email is an email_accounts address
// (the column is COLLATE NOCASE). Decided now, so a mailbox enrolled later counts too.
inline constexpr const char* outbound_sql =
    "EXISTS (SELECT 1 FROM email_accounts oa WHERE oa.email = e.from_email)";

// [{"name","email"}] JSON as stored in to_json/cc_json; malformed text gives an empty list.
std::vector<party> parse_parties(const std::string& json_text);

namespace detail {

// These throw db_error.
std::vector<mailbox_ref> live_mailboxes(connection& c, int64_t email_id);
std::vector<investor_ref> investor_links(connection& c, int64_t email_id);
std::vector<attachment_ref> attachments_of(connection& c, int64_t email_id);

} // namespace detail
} // namespace gc::store
