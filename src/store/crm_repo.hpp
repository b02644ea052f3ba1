#pragma once
// What the investor matcher reads and writes (actors/matcher_index, core/matching.hpp):
//  * the CRM rows the match index is built from: investors (id, email, domain, graveyard),
//    contacts (id, investor_id, email, deleted_at) and our mailboxes (email_accounts.email);
//  * a fingerprint of exactly those values, to notice any insert, update or delete;
//  * the rematch queries: emails in a date range with their participants, recording links,
//    and the matched metadata-only emails whose bodies must still be fetched.
//
// The CRM owns investors/contacts and may lack optional columns: a missing investors.email /
// contacts.email / contacts.deleted_at / investors.graveyard reads as NULL / 0, and a missing
// investors.domain falls back to a "website" column when there is one.
//
// Fingerprint cost, measured on the dev box (2 shared cores) with 5,000 investors + 20,000
// contacts: ~20-30 ms at -O2 (~45 ms in a Debug build); load() ~30 ms; PRAGMA data_version
// ~0.05 ms. So a caller checks data_version() first and hashes only when some other
// connection committed something (any table) since its previous check.
//
// load() and fingerprint() read in one read transaction (consistent snapshot) unless the
// connection is already inside one. apply_links() is a write: run it in a store-writer job.
// Errors (gc::error::code): "invalid" (bad since / match_kind), "not_found", "sqlite".
#include "core/matching.hpp"
#include "core/result.hpp"
#include "store/db.hpp"
#include "store/email_records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

struct crm_rows {
  std::vector<core::crm_investor> investors;   // by id
  std::vector<core::crm_contact> contacts;     // by id
  std::vector<std::string> mailbox_addresses;  // email_accounts.email, by id
  uint64_t fingerprint = 0;                    // of exactly these rows (== fingerprint())
};

// An email to (re)match: its id and participants (from_email, to/cc/bcc_json addresses).
struct rematch_email {
  int64_t email_id = 0;
  core::participants participants;
};

// A matched metadata-only email and one live sighting to fetch its body through.
struct body_fetch_rec {
  int64_t email_id = 0;
  int64_t account_id = 0;
  std::string gmail_message_id;
};

struct link_outcome {
  int64_t links_added = 0;
  bool newly_matched = false;                  // is_matched went 0 -> 1
};

class crm_repo {
public:
  explicit crm_repo(connection& c) : c_{c} {}

  result<crm_rows> load();
  // 64-bit hash over (id, email, domain, graveyard) of every investor, (id, investor_id, email,
  // deleted_at IS NOT NULL) of every contact and (id, email) of every mailbox, in id order.
  result<uint64_t> fingerprint();
  // PRAGMA data_version of this connection: changes whenever ANOTHER connection (or process)
  // committed anything since the previous call. Cheap; a hint, not a per-table signal.
  result<int64_t> data_version();

  // Emails whose date is >= since (internal_date when known, else sent_at; an empty since =
  // all), with id > after_id, ordered by id, at most `limit`. Unparseable participant JSON
  // reads as no addresses. "invalid" when since is neither empty nor ISO-8601.
  result<std::vector<rematch_email>> emails_since(std::string_view since, int64_t after_id,
                                                  int limit);

  // Inserts the links (ignoring ones already there) and sets is_matched = 1 when there is at
  // least one. Idempotent. "not_found" for an unknown email; "invalid" for a bad match_kind.
  result<link_outcome> apply_links(int64_t email_id, const std::vector<link_rec>& links);

  // Matched emails (is_matched = 1, has_body = 0) in the same date range, id > after_id, by
  // id, at most `limit`, each with one live sighting (deleted_at IS NULL), preferring a
  // mailbox with sync enabled, then the oldest sighting. Emails without a live sighting are
  // left out (nothing to fetch from).
  result<std::vector<body_fetch_rec>> emails_needing_body(std::string_view since,
                                                          int64_t after_id, int limit);

private:
  connection& c_;
};

} // namespace gc::store
