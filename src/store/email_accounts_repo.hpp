#pragma once
// Mailboxes (email_accounts): enrolment, the sync cursor, errors, and sync runs
// (email_sync_runs). Cursor writes belong in the SAME store-writer job as the data they cover
// (design.md "Sync state machine"): the cursor never runs ahead of committed data. Like
// email_repo, nothing here BEGINs or COMMITs. History ids are uint64 below 2^63, compared as
// integers.
//
// Errors (gc::error::code): "invalid" (bad argument), "not_found" (no such account or run),
// "sqlite".
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::store {

struct email_account {
  int64_t id = 0;
  std::string email;
  std::optional<int64_t> user_id;
  std::string auth_method;                    // dwd | oauth
  bool sync_enabled = true;
  std::string state;                          // new | full_sync | incremental | error
  std::optional<int64_t> history_id;          // incremental cursor
  std::optional<int64_t> full_sync_history_id;
  std::optional<std::string> full_sync_page_token;
  int64_t backfill_done = 0;
  std::optional<int64_t> backfill_total;
  std::optional<std::string> last_sync_at, last_success_at, last_history_at;
  std::optional<std::string> last_error, last_error_at;
};

struct run_finish {
  std::string status = "ok";                  // ok | error
  int64_t messages_seen = 0, messages_stored = 0, messages_skipped = 0;
  int64_t attachments_saved = 0, quota_units = 0;
  std::optional<std::string> error;           // no secrets
};

// An active CRM user of the Workspace domain (enroll-all).
struct domain_user {
  int64_t user_id = 0;
  std::string username, name;
  std::string email;                          // the address in the domain (email, or username)
};

class email_accounts_repo {
public:
  explicit email_accounts_repo(connection& c) : c_{c} {}

  // -- enrolment ----------------------------------------------------------------------------
  // Creates the account (trimmed, lower-cased address; auth "dwd" | "oauth"; linked to the CRM
  // user with that email or username) or returns the existing one unchanged (sync_enabled and
  // auth_method kept; a missing user link is filled in).
  result<int64_t> enroll_account(std::string_view email, std::string_view auth_method = "dwd");
  result<bool> set_sync_enabled(int64_t account_id, bool enabled);   // false: no such account
  // The id of the account with this address (trimmed, case-insensitive); nullopt if none.
  result<std::optional<int64_t>> find_account(std::string_view email);
  result<std::vector<email_account>> list_accounts();                // ordered by id
  result<email_account> account_cursor(int64_t account_id);          // "not_found"
  // Active users (is_active = 1) whose email or username ends with "@domain" (ignoring case),
  // ordered by id.
  result<std::vector<domain_user>> active_domain_users(std::string_view domain);

  // -- cursor ---------------------------------------------------------------------------------
  // state full_sync; full_sync_history_id = getProfile.historyId read BEFORE listing; page
  // token NULL; backfill_done 0; backfill_total (messagesTotal, may be unknown).
  status begin_full_sync(int64_t account_id, uint64_t profile_history_id,
                         std::optional<int64_t> backfill_total = std::nullopt);
  // Records that the page fetched with `page_token` (nullopt = first page) is stored: the token
  // becomes next_page_token (nullopt = that was the last page), backfill_done += done_delta.
  // Applied only while the account is in full_sync at exactly `page_token`, so a replayed page
  // changes nothing (false). Commit the last page with finish_full_sync in the same job.
  result<bool> save_full_sync_page(int64_t account_id,
                                   const std::optional<std::string>& page_token,
                                   const std::optional<std::string>& next_page_token,
                                   int64_t done_delta);
  // history_id = full_sync_history_id, state incremental, page token and full_sync_history_id
  // cleared, last_history_at / last_success_at / last_sync_at = now. False unless in full_sync.
  result<bool> finish_full_sync(int64_t account_id);
  // Moves history_id forward only (false when new_history_id <= the stored one). A cursor
  // confirmed at its current value (equal) still refreshes last_history_at.
  result<bool> advance_history(int64_t account_id, uint64_t new_history_id);
  status set_account_error(int64_t account_id, std::string_view text);  // state unchanged
  status clear_account_error(int64_t account_id);

  // -- runs -----------------------------------------------------------------------------------
  // kind: full | incremental | rematch; account_id nullopt for project-wide runs (rematch).
  result<int64_t> start_run(std::optional<int64_t> account_id, std::string_view kind);
  // Finishes a running run (false when already finished). An "ok" run also sets the account's
  // last_success_at; any run sets its last_sync_at.
  result<bool> finish_run(int64_t run_id, const run_finish& r);

private:
  connection& c_;
};

} // namespace gc::store
