#pragma once
// Read-side queries behind GET /api/email/status. Plain structs; the HTTP layer builds JSON.
// Meant for a read-only connection; everything in one snapshot() is read in one read
// transaction, so the numbers agree with each other.
#include "core/result.hpp"
#include "store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gc::store {

struct account_status {
  int64_t id = 0;
  std::string email;
  std::string state;                  // new | full_sync | incremental | error
  bool sync_enabled = true;
  int64_t backfill_done = 0;
  std::optional<int64_t> backfill_total;
  std::optional<std::string> last_success_at;
  std::optional<std::string> last_error;
  std::optional<std::string> last_error_at;
  std::optional<std::string> last_history_at;
  std::optional<int64_t> lag_seconds;  // now - last_success_at; nullopt = never succeeded
  int64_t quota_units_last_hour = 0;   // sum of its email_sync_runs.quota_units started < 1 h ago
};

// Read from the one-row table email_counts that migration 0006's triggers keep exact, so the
// cost does not grow with the mail stored.
struct email_counts {
  int64_t emails = 0;
  int64_t matched = 0;                // emails.is_matched = 1
  int64_t attachments_stored = 0;     // email_attachments.status = 'stored'
};

struct sync_run {
  int64_t id = 0;
  std::optional<int64_t> account_id;
  std::optional<std::string> account_email;
  std::string kind;                   // full | incremental | rematch
  std::string status;                 // running | ok | error
  std::string started_at;
  std::optional<std::string> finished_at;
  int64_t messages_seen = 0;
  int64_t messages_stored = 0;
  int64_t messages_skipped = 0;
  int64_t attachments_saved = 0;
  int64_t quota_units = 0;
  std::optional<std::string> error;
};

struct status_snapshot {
  std::vector<account_status> accounts;
  email_counts counts;
  std::vector<sync_run> recent_runs;  // newest first
};

// Errors: "sqlite".
class status_repo {
public:
  explicit status_repo(connection& c) : c_{c} {}

  result<std::vector<account_status>> accounts();             // ordered by email
  result<std::optional<account_status>> account(int64_t id);  // nullopt: no such account
  result<email_counts> counts();
  result<std::vector<sync_run>> recent_runs(int limit = 20);  // newest first
  result<status_snapshot> snapshot(int recent_run_limit = 20);

private:
  connection& c_;
};

} // namespace gc::store
