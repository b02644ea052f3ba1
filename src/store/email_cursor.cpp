// email_accounts_repo: the sync cursor, account errors and sync runs.
#include "store/email_accounts_repo.hpp"

#include "store/repo_util.hpp"

#include <limits>

namespace gc::store {
namespace {

#define GC_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

constexpr uint64_t max_history_id = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

error no_account(int64_t id) { return error{"not_found", "no email account " + std::to_string(id)}; }

bool account_exists(connection& c, int64_t id) {
  auto st = c.prepare("SELECT 1 FROM email_accounts WHERE id = ?1");
  st.bind(1, id);
  return st.step();
}

// Runs an UPDATE of one account; "not_found" when no such account.
template <class Bind>
status update_account(connection& c, int64_t id, const char* sql, Bind&& bind) {
  return detail::guarded([&]() -> status {
    auto st = c.prepare(sql);
    st.bind(1, id);
    bind(st);
    st.run();
    if (c.changes() == 0 && !account_exists(c, id)) return no_account(id);
    return ok_v;
  });
}

} // namespace

status email_accounts_repo::begin_full_sync(int64_t account_id, uint64_t profile_history_id,
                                            std::optional<int64_t> backfill_total) {
  if (profile_history_id > max_history_id) return error{"invalid", "history id out of range"};
  return update_account(
      c_, account_id,
      "UPDATE email_accounts SET state = 'full_sync', full_sync_history_id = ?2, "
      "full_sync_page_token = NULL, backfill_done = 0, backfill_total = ?3, last_sync_at = " GC_NOW
      ", updated_at = " GC_NOW " WHERE id = ?1",
      [&](statement& st) {
        st.bind(2, static_cast<int64_t>(profile_history_id)).bind(3, backfill_total);
      });
}

result<bool> email_accounts_repo::save_full_sync_page(
    int64_t account_id, const std::optional<std::string>& page_token,
    const std::optional<std::string>& next_page_token, int64_t done_delta) {
  if (done_delta < 0) return error{"invalid", "done_delta must not be negative"};
  return detail::guarded([&]() -> result<bool> {
    c_.prepare("UPDATE email_accounts SET full_sync_page_token = ?3, backfill_done = "
               "backfill_done + ?4, last_sync_at = " GC_NOW ", updated_at = " GC_NOW
               " WHERE id = ?1 AND state = 'full_sync' AND full_sync_page_token IS ?2")
        .bind(1, account_id)
        .bind(2, page_token)
        .bind(3, next_page_token)
        .bind(4, done_delta)
        .run();
    if (c_.changes() > 0) return true;
    if (!account_exists(c_, account_id)) return no_account(account_id);
    return false;
  });
}

result<bool> email_accounts_repo::finish_full_sync(int64_t account_id) {
  return detail::guarded([&]() -> result<bool> {
    c_.prepare("UPDATE email_accounts SET history_id = full_sync_history_id, state = "
               "'incremental', full_sync_page_token = NULL, full_sync_history_id = NULL, "
               "last_history_at = " GC_NOW ", last_success_at = " GC_NOW ", last_sync_at = " GC_NOW
               ", updated_at = " GC_NOW " WHERE id = ?1 AND state = 'full_sync' AND "
               "full_sync_history_id IS NOT NULL")
        .bind(1, account_id)
        .run();
    if (c_.changes() > 0) return true;
    if (!account_exists(c_, account_id)) return no_account(account_id);
    return false;
  });
}

result<bool> email_accounts_repo::advance_history(int64_t account_id, uint64_t new_history_id) {
  if (new_history_id > max_history_id) return error{"invalid", "history id out of range"};
  const auto h = static_cast<int64_t>(new_history_id);
  return detail::guarded([&]() -> result<bool> {
    auto cur = c_.prepare("SELECT history_id FROM email_accounts WHERE id = ?1");
    cur.bind(1, account_id);
    if (!cur.step()) return no_account(account_id);
    const auto before = cur.opt_int64(0);
    if (before && *before > h) return false;
    c_.prepare("UPDATE email_accounts SET history_id = ?2, last_history_at = " GC_NOW
               ", last_sync_at = " GC_NOW ", updated_at = " GC_NOW " WHERE id = ?1")
        .bind(1, account_id)
        .bind(2, h)
        .run();
    return !before || *before < h;
  });
}

status email_accounts_repo::set_account_error(int64_t account_id, std::string_view text) {
  return update_account(c_, account_id,
                        "UPDATE email_accounts SET last_error = ?2, last_error_at = " GC_NOW
                        ", updated_at = " GC_NOW " WHERE id = ?1",
                        [&](statement& st) { st.bind(2, text.substr(0, 2000)); });
}

status email_accounts_repo::clear_account_error(int64_t account_id) {
  return update_account(c_, account_id,
                        "UPDATE email_accounts SET last_error = NULL, last_error_at = NULL, "
                        "updated_at = " GC_NOW " WHERE id = ?1 AND (last_error IS NOT NULL OR "
                        "last_error_at IS NOT NULL)",
                        [](statement&) {});
}

result<int64_t> email_accounts_repo::start_run(std::optional<int64_t> account_id,
                                               std::string_view kind) {
  if (kind != "full" && kind != "incremental" && kind != "rematch")
    return error{"invalid", "run kind must be full, incremental or rematch"};
  return detail::guarded([&]() -> result<int64_t> {
    if (account_id && !account_exists(c_, *account_id)) return no_account(*account_id);
    c_.prepare("INSERT INTO email_sync_runs (account_id, kind) VALUES (?1, ?2)")
        .bind(1, account_id)
        .bind(2, kind)
        .run();
    return c_.last_insert_id();
  });
}

result<bool> email_accounts_repo::finish_run(int64_t run_id, const run_finish& r) {
  if (r.status != "ok" && r.status != "error")
    return error{"invalid", "run status must be ok or error"};
  return detail::guarded([&]() -> result<bool> {
    auto run = c_.prepare("SELECT account_id, status FROM email_sync_runs WHERE id = ?1");
    run.bind(1, run_id);
    if (!run.step()) return error{"not_found", "no sync run " + std::to_string(run_id)};
    const auto account_id = run.opt_int64(0);
    if (run.text(1) != "running") return false;
    auto st = c_.prepare(
        "UPDATE email_sync_runs SET status = ?2, finished_at = " GC_NOW ", messages_seen = ?3, "
        "messages_stored = ?4, messages_skipped = ?5, attachments_saved = ?6, quota_units = ?7, "
        "error = ?8 WHERE id = ?1 AND status = 'running'");
    st.bind(1, run_id).bind(2, r.status).bind(3, r.messages_seen).bind(4, r.messages_stored);
    st.bind(5, r.messages_skipped).bind(6, r.attachments_saved).bind(7, r.quota_units);
    std::optional<std::string> err;
    if (r.error) err = r.error->substr(0, 2000);
    st.bind(8, err).run();
    if (account_id) {
      c_.prepare("UPDATE email_accounts SET last_sync_at = " GC_NOW ", last_success_at = CASE "
                 "WHEN ?2 = 'ok' THEN " GC_NOW " ELSE last_success_at END, updated_at = " GC_NOW
                 " WHERE id = ?1")
          .bind(1, *account_id)
          .bind(2, r.status)
          .run();
    }
    return true;
  });
}

} // namespace gc::store

#undef GC_NOW
