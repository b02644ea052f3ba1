#include "store/status_repo.hpp"

#include "store/repo_util.hpp"

namespace gc::store {
namespace {

// One query for both reads: the quota sum uses the started_at index (only the last hour's
// runs are visited), the lag is computed by SQLite from the stored ISO-8601 text.
constexpr const char* account_select =
    "SELECT a.id, a.email, a.state, a.sync_enabled, a.backfill_done, a.backfill_total, "
    "a.last_success_at, a.last_error, a.last_error_at, a.last_history_at, "
    "CASE WHEN a.last_success_at IS NULL THEN NULL ELSE "
    "max(0, CAST(round((julianday('now') - julianday(a.last_success_at)) * 86400) AS INTEGER)) END, "
    "coalesce(q.units, 0) FROM email_accounts a "
    "LEFT JOIN (SELECT account_id, sum(quota_units) AS units FROM email_sync_runs "
    "WHERE started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour') "
    "GROUP BY account_id) q ON q.account_id = a.id ";

account_status read_account_status(const statement& st) {
  account_status a;
  a.id = st.int64(0);
  a.email = st.text(1);
  a.state = st.text(2);
  a.sync_enabled = st.int64(3) != 0;
  a.backfill_done = st.int64(4);
  a.backfill_total = st.opt_int64(5);
  a.last_success_at = st.opt_text(6);
  a.last_error = st.opt_text(7);
  a.last_error_at = st.opt_text(8);
  a.last_history_at = st.opt_text(9);
  a.lag_seconds = st.opt_int64(10);
  a.quota_units_last_hour = st.int64(11);
  return a;
}

} // namespace

result<std::vector<account_status>> status_repo::accounts() {
  return detail::guarded([&]() -> result<std::vector<account_status>> {
    auto st = c_.prepare(std::string{account_select} + "ORDER BY a.email, a.id");
    std::vector<account_status> out;
    while (st.step()) out.push_back(read_account_status(st));
    return out;
  });
}

result<std::optional<account_status>> status_repo::account(int64_t id) {
  return detail::guarded([&]() -> result<std::optional<account_status>> {
    auto st = c_.prepare(std::string{account_select} + "WHERE a.id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::optional<account_status>{};
    return std::optional<account_status>{read_account_status(st)};
  });
}

result<email_counts> status_repo::counts() {
  return detail::guarded([&]() -> result<email_counts> {
    auto read = [](statement& st) {
      return email_counts{st.int64(0), st.int64(1), st.int64(2)};
    };
    // The row migration 0006's triggers maintain: one row read at any size.
    auto kept = c_.prepare("SELECT emails, matched, attachments_stored FROM email_counts WHERE id = 1");
    if (kept.step()) return read(kept);
    // No row (deleted by hand): the triggers have nothing to update either, so count.
    auto counted = c_.prepare(
        "SELECT (SELECT count(*) FROM emails), "
        "(SELECT count(*) FROM emails WHERE is_matched = 1), "
        "(SELECT count(*) FROM email_attachments WHERE status = 'stored')");
    counted.step();
    return read(counted);
  });
}

result<std::vector<sync_run>> status_repo::recent_runs(int limit) {
  return detail::guarded([&]() -> result<std::vector<sync_run>> {
    auto st = c_.prepare(
        "SELECT r.id, r.account_id, a.email, r.kind, r.status, r.started_at, r.finished_at, "
        "r.messages_seen, r.messages_stored, r.messages_skipped, r.attachments_saved, "
        "r.quota_units, r.error FROM email_sync_runs r "
        "LEFT JOIN email_accounts a ON a.id = r.account_id "
        "ORDER BY r.started_at DESC, r.id DESC LIMIT ?1");
    st.bind(1, limit < 0 ? 0 : limit);
    std::vector<sync_run> out;
    while (st.step()) {
      sync_run r;
      r.id = st.int64(0);
      r.account_id = st.opt_int64(1);
      r.account_email = st.opt_text(2);
      r.kind = st.text(3);
      r.status = st.text(4);
      r.started_at = st.text(5);
      r.finished_at = st.opt_text(6);
      r.messages_seen = st.int64(7);
      r.messages_stored = st.int64(8);
      r.messages_skipped = st.int64(9);
      r.attachments_saved = st.int64(10);
      r.quota_units = st.int64(11);
      r.error = st.opt_text(12);
      out.push_back(std::move(r));
    }
    return out;
  });
}

result<status_snapshot> status_repo::snapshot(int recent_run_limit) {
  return detail::guarded([&]() -> result<status_snapshot> {
    detail::read_snapshot tx{c_};
    status_snapshot s;
    auto accts = accounts();
    if (!accts) return accts.error();
    auto n = counts();
    if (!n) return n.error();
    auto runs = recent_runs(recent_run_limit);
    if (!runs) return runs.error();
    s.accounts = std::move(*accts);
    s.counts = *n;
    s.recent_runs = std::move(*runs);
    return s;
  });
}

} // namespace gc::store
